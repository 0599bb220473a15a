// SPDX-License-Identifier: GPL-2.0-only
/*
 * vfio_iommu_type1: a debugfs directory per container,
 * /sys/kernel/debug/vfio/containers/<id>/, gone when the container is:
 *
 *   mappings   one line per mapping: iova, size, vaddr, pages pinned by
 *              its IOMMU runs, pages accounted to its owner, runs, the
 *              owner's pid (the mapping thread group's leader)
 *   summary    totals; then per owner its locked memory (locked_vm, all
 *              of it, not only ours) against its RLIMIT_MEMLOCK
 *   run_sizes  how many runs, and bytes, went to the IOMMU by size:
 *              4K for [4 KiB, 64 KiB), 64K up to 2 MiB, 2M up to 1 GiB,
 *              1G from 1 GiB on; few large runs map (and start) fast
 *
 * Readers take iommu->lock as MAP_DMA and UNMAP_DMA do, so they see whole
 * mappings; removing the directory waits for readers, before the
 * container is torn down.
 */
#include <linux/debugfs.h>
#include <linux/idr.h>
#include <linux/sched/signal.h>
#include <linux/seq_file.h>
#include <linux/sizes.h>

#include "type1.h"

#define VFIO_DEBUGFS_OWNERS	16

static struct dentry *vfio_containers_dir;
static DEFINE_IDA(vfio_container_ida);

static int vfio_mappings_show(struct seq_file *s, void *unused)
{
	struct vfio_iommu *iommu = s->private;
	struct rb_node *n;

	seq_puts(s, "iova size vaddr pinned locked runs pid\n");
	mutex_lock(&iommu->lock);
	for (n = rb_first(&iommu->dma_list); n; n = rb_next(n)) {
		struct vfio_dma *dma = rb_entry(n, struct vfio_dma, node);
		struct vfio_runs_stats st = { 0 };

		vfio_runs_stats_add(dma, &st);
		seq_printf(s, "0x%llx 0x%zx 0x%lx %lu %ld %lu %d%s\n",
			   (u64)dma->iova, dma->size, dma->vaddr, st.pinned,
			   dma->locked_pages, st.nr_runs,
			   task_tgid_nr(dma->task),
			   dma->vaddr_invalid ? " vaddr_invalid" : "");
	}
	mutex_unlock(&iommu->lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vfio_mappings);

static int vfio_summary_show(struct seq_file *s, void *unused)
{
	struct vfio_iommu *iommu = s->private;
	struct task_struct *owners[VFIO_DEBUGFS_OWNERS];
	struct mm_struct *mms[VFIO_DEBUGFS_OWNERS];
	unsigned long nr = 0, pinned = 0, runs = 0;
	unsigned int nr_owners = 0, i;
	long locked = 0;
	u64 bytes = 0;
	struct rb_node *n;

	mutex_lock(&iommu->lock);
	for (n = rb_first(&iommu->dma_list); n; n = rb_next(n)) {
		struct vfio_dma *dma = rb_entry(n, struct vfio_dma, node);
		struct vfio_runs_stats st = { 0 };

		vfio_runs_stats_add(dma, &st);
		nr++;
		bytes += dma->size;
		pinned += st.pinned;
		runs += st.nr_runs;
		locked += dma->locked_pages;
		for (i = 0; i < nr_owners && owners[i] != dma->task; i++)
			;
		if (i == nr_owners && nr_owners < VFIO_DEBUGFS_OWNERS) {
			owners[nr_owners] = dma->task;
			mms[nr_owners++] = dma->mm;
		}
	}
	seq_printf(s, "mappings %lu\nbytes %llu\npinned_pages %lu\nlocked_pages %ld\nruns %lu\ndma_entries %u/%u\n",
		   nr, bytes, pinned, locked, runs,
		   iommu->dma_limit - iommu->dma_avail, iommu->dma_limit);
	/* the tasks and mms are held by the mappings, under the lock */
	for (i = 0; i < nr_owners; i++)
		seq_printf(s, "owner %d locked_vm %lu memlock_limit %lu\n",
			   task_tgid_nr(owners[i]),
			   READ_ONCE(mms[i]->locked_vm) << PAGE_SHIFT,
			   task_rlimit(owners[i], RLIMIT_MEMLOCK));
	mutex_unlock(&iommu->lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vfio_summary);

static unsigned int vfio_run_bucket(u64 bytes)
{
	if (bytes >= SZ_1G)
		return 3;
	if (bytes >= SZ_2M)
		return 2;
	if (bytes >= SZ_64K)
		return 1;
	return 0;
}

static int vfio_run_sizes_show(struct seq_file *s, void *unused)
{
	static const char * const names[] = { "4K", "64K", "2M", "1G" };
	struct vfio_iommu *iommu = s->private;
	unsigned long count[4] = { 0 };
	u64 bytes[4] = { 0 };
	struct rb_node *n;
	unsigned int b;

	mutex_lock(&iommu->lock);
	for (n = rb_first(&iommu->dma_list); n; n = rb_next(n)) {
		struct vfio_dma *dma = rb_entry(n, struct vfio_dma, node);
		unsigned long i;

		for (i = 0; i < dma->nr_runs; i++) {
			struct vfio_run run;
			u64 len;

			vfio_run_get(dma, i, &run);
			len = (u64)run.npage << PAGE_SHIFT;
			b = vfio_run_bucket(len);
			count[b]++;
			bytes[b] += len;
		}
	}
	mutex_unlock(&iommu->lock);
	for (b = 0; b < ARRAY_SIZE(names); b++)
		seq_printf(s, "%s %lu %llu\n", names[b], count[b], bytes[b]);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vfio_run_sizes);

/**
 * vfio_iommu_debugfs_init - create a new container's directory
 * @iommu: the container
 */
void vfio_iommu_debugfs_init(struct vfio_iommu *iommu)
{
	char name[16];
	int id;

	iommu->debug_id = -1;
	if (IS_ERR_OR_NULL(vfio_containers_dir))
		return;
	id = ida_alloc(&vfio_container_ida, GFP_KERNEL);
	if (id < 0)
		return;
	iommu->debug_id = id;
	snprintf(name, sizeof(name), "%d", id);
	iommu->debug_dir = debugfs_create_dir(name, vfio_containers_dir);
	debugfs_create_file("mappings", 0400, iommu->debug_dir, iommu,
			    &vfio_mappings_fops);
	debugfs_create_file("summary", 0400, iommu->debug_dir, iommu,
			    &vfio_summary_fops);
	debugfs_create_file("run_sizes", 0400, iommu->debug_dir, iommu,
			    &vfio_run_sizes_fops);
}

/**
 * vfio_iommu_debugfs_exit - remove a container's directory
 * @iommu: the container, about to be freed
 *
 * Returns once no reader is inside one of its files.
 */
void vfio_iommu_debugfs_exit(struct vfio_iommu *iommu)
{
	if (iommu->debug_id < 0)
		return;
	debugfs_remove_recursive(iommu->debug_dir);
	ida_free(&vfio_container_ida, iommu->debug_id);
	iommu->debug_id = -1;
}

void __init vfio_type1_debugfs_init(void)
{
	struct dentry *root = debugfs_lookup("vfio", NULL);

	if (IS_ERR_OR_NULL(root))
		return;
	vfio_containers_dir = debugfs_create_dir("containers", root);
	dput(root);
}

void vfio_type1_debugfs_exit(void)
{
	debugfs_remove_recursive(vfio_containers_dir);
	vfio_containers_dir = NULL;
	ida_destroy(&vfio_container_ida);
}
