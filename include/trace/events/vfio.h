/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Tracepoints of the VFIO stack: DMA mapping in the type1 backend, device
 * open and close, vfio-pci resets, interrupts, config writes and BAR
 * faults, mediated device lifetime and migration state changes.
 *
 * They are created in vfio.ko (vfio_main.c) and exported to the modules
 * that fire them. Every event carries its result, so a failure is seen
 * together with the request that caused it.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM vfio

#if !defined(_TRACE_VFIO_H) || defined(TRACE_HEADER_MULTI_READ)
#define _TRACE_VFIO_H

#include <linux/tracepoint.h>

/* Why pinning for a DMA mapping failed (vfio_dma_pin_fail). */
#ifndef _TRACE_VFIO_ENUMS
#define _TRACE_VFIO_ENUMS
enum vfio_pin_fail_reason {
	VFIO_PIN_FAIL_MEMLOCK,
	VFIO_PIN_FAIL_FAULT,
	VFIO_PIN_FAIL_PFNMAP,
	VFIO_PIN_FAIL_ENTRY_LIMIT,
};
#endif

TRACE_DEFINE_ENUM(VFIO_PIN_FAIL_MEMLOCK);
TRACE_DEFINE_ENUM(VFIO_PIN_FAIL_FAULT);
TRACE_DEFINE_ENUM(VFIO_PIN_FAIL_PFNMAP);
TRACE_DEFINE_ENUM(VFIO_PIN_FAIL_ENTRY_LIMIT);

/* ---- the type1 IOMMU backend ---- */

TRACE_EVENT(vfio_dma_map,
	    TP_PROTO(const void *container, u64 iova, u64 size, u64 vaddr,
		     u32 flags, int ret, unsigned long pinned,
		     unsigned long nr_runs, u64 max_run),
	    TP_ARGS(container, iova, size, vaddr, flags, ret, pinned, nr_runs,
		    max_run),
	    TP_STRUCT__entry(__field(const void *, container)
			     __field(u64, iova)
			     __field(u64, size)
			     __field(u64, vaddr)
			     __field(u32, flags)
			     __field(int, ret)
			     __field(unsigned long, pinned)
			     __field(unsigned long, nr_runs)
			     __field(u64, max_run)
			     __field(pid_t, pid)),
	    TP_fast_assign(__entry->container = container;
			   __entry->iova = iova;
			   __entry->size = size;
			   __entry->vaddr = vaddr;
			   __entry->flags = flags;
			   __entry->ret = ret;
			   __entry->pinned = pinned;
			   __entry->nr_runs = nr_runs;
			   __entry->max_run = max_run;
			   __entry->pid = task_tgid_nr(current);),
	    TP_printk("container=%p pid=%d iova=0x%llx size=0x%llx vaddr=0x%llx flags=0x%x ret=%d pinned=%lu runs=%lu max_run=0x%llx",
		      __entry->container, __entry->pid, __entry->iova,
		      __entry->size, __entry->vaddr, __entry->flags, __entry->ret,
		      __entry->pinned, __entry->nr_runs, __entry->max_run)
);

TRACE_EVENT(vfio_dma_unmap,
	    TP_PROTO(const void *container, u64 iova, u64 size, u64 vaddr,
		     u32 flags, int ret, u64 unmapped, unsigned long unpinned,
		     unsigned long nr_runs, u64 max_run),
	    TP_ARGS(container, iova, size, vaddr, flags, ret, unmapped, unpinned,
		    nr_runs, max_run),
	    TP_STRUCT__entry(__field(const void *, container)
			     __field(u64, iova)
			     __field(u64, size)
			     __field(u64, vaddr)
			     __field(u32, flags)
			     __field(int, ret)
			     __field(u64, unmapped)
			     __field(unsigned long, unpinned)
			     __field(unsigned long, nr_runs)
			     __field(u64, max_run)
			     __field(pid_t, pid)),
	    TP_fast_assign(__entry->container = container;
			   __entry->iova = iova;
			   __entry->size = size;
			   __entry->vaddr = vaddr;
			   __entry->flags = flags;
			   __entry->ret = ret;
			   __entry->unmapped = unmapped;
			   __entry->unpinned = unpinned;
			   __entry->nr_runs = nr_runs;
			   __entry->max_run = max_run;
			   __entry->pid = task_tgid_nr(current);),
	    TP_printk("container=%p pid=%d iova=0x%llx size=0x%llx vaddr=0x%llx flags=0x%x ret=%d unmapped=0x%llx unpinned=%lu runs=%lu max_run=0x%llx",
		      __entry->container, __entry->pid, __entry->iova,
		      __entry->size, __entry->vaddr, __entry->flags, __entry->ret,
		      __entry->unmapped, __entry->unpinned, __entry->nr_runs,
		      __entry->max_run)
);

TRACE_EVENT(vfio_dma_pin_fail,
	    TP_PROTO(const void *container, int reason, u64 iova, u64 vaddr,
		     int err, u64 limit, u64 need),
	    TP_ARGS(container, reason, iova, vaddr, err, limit, need),
	    TP_STRUCT__entry(__field(const void *, container)
			     __field(int, reason)
			     __field(u64, iova)
			     __field(u64, vaddr)
			     __field(int, err)
			     __field(u64, limit)
			     __field(u64, need)
			     __field(pid_t, pid)),
	    TP_fast_assign(__entry->container = container;
			   __entry->reason = reason;
			   __entry->iova = iova;
			   __entry->vaddr = vaddr;
			   __entry->err = err;
			   __entry->limit = limit;
			   __entry->need = need;
			   __entry->pid = task_tgid_nr(current);),
	    TP_printk("container=%p pid=%d reason=%s iova=0x%llx vaddr=0x%llx err=%d limit=%llu need=%llu",
		      __entry->container, __entry->pid,
		      __print_symbolic(__entry->reason,
				       { VFIO_PIN_FAIL_MEMLOCK, "memlock" },
				       { VFIO_PIN_FAIL_FAULT, "fault" },
				       { VFIO_PIN_FAIL_PFNMAP, "pfnmap" },
				       { VFIO_PIN_FAIL_ENTRY_LIMIT,
					 "dma_entry_limit" }),
		      __entry->iova, __entry->vaddr, __entry->err,
		      __entry->limit, __entry->need)
);

/* ---- devices ---- */

DECLARE_EVENT_CLASS(vfio_device_open_close,
		    TP_PROTO(const char *name, unsigned int open_count, int ret),
		    TP_ARGS(name, open_count, ret),
		    TP_STRUCT__entry(__string(name, name)
				     __field(unsigned int, open_count)
				     __field(int, ret)
				     __field(pid_t, pid)),
		    TP_fast_assign(__assign_str(name, name);
				   __entry->open_count = open_count;
				   __entry->ret = ret;
				   __entry->pid = task_tgid_nr(current);),
		    TP_printk("device=%s pid=%d open_count=%u ret=%d", __get_str(name),
			      __entry->pid, __entry->open_count, __entry->ret)
);

DEFINE_EVENT(vfio_device_open_close, vfio_device_open,
	     TP_PROTO(const char *name, unsigned int open_count, int ret),
	     TP_ARGS(name, open_count, ret)
);

DEFINE_EVENT(vfio_device_open_close, vfio_device_close,
	     TP_PROTO(const char *name, unsigned int open_count, int ret),
	     TP_ARGS(name, open_count, ret)
);

TRACE_EVENT(vfio_mig_state,
	    TP_PROTO(const char *name, u32 from, u32 to, int ret),
	    TP_ARGS(name, from, to, ret),
	    TP_STRUCT__entry(__string(name, name)
			     __field(u32, from)
			     __field(u32, to)
			     __field(int, ret)),
	    TP_fast_assign(__assign_str(name, name);
			   __entry->from = from;
			   __entry->to = to;
			   __entry->ret = ret;),
	    TP_printk("device=%s from=%u to=%u ret=%d", __get_str(name),
		      __entry->from, __entry->to, __entry->ret)
);

/* ---- vfio-pci ---- */

TRACE_EVENT(vfio_pci_reset,
	    TP_PROTO(const char *name, const char *method, int ret),
	    TP_ARGS(name, method, ret),
	    TP_STRUCT__entry(__string(name, name)
			     __string(method, method)
			     __field(int, ret)),
	    TP_fast_assign(__assign_str(name, name);
			   __assign_str(method, method);
			   __entry->ret = ret;),
	    TP_printk("device=%s method=%s ret=%d", __get_str(name),
		      __get_str(method), __entry->ret)
);

TRACE_EVENT(vfio_pci_set_irqs,
	    TP_PROTO(const char *name, u32 index, u32 start, u32 count, u32 flags,
		     int ret),
	    TP_ARGS(name, index, start, count, flags, ret),
	    TP_STRUCT__entry(__string(name, name)
			     __field(u32, index)
			     __field(u32, start)
			     __field(u32, count)
			     __field(u32, flags)
			     __field(int, ret)),
	    TP_fast_assign(__assign_str(name, name);
			   __entry->index = index;
			   __entry->start = start;
			   __entry->count = count;
			   __entry->flags = flags;
			   __entry->ret = ret;),
	    TP_printk("device=%s index=%u start=%u count=%u flags=0x%x ret=%d",
		      __get_str(name), __entry->index, __entry->start,
		      __entry->count, __entry->flags, __entry->ret)
);

TRACE_EVENT(vfio_pci_config_write,
	    TP_PROTO(const char *name, u32 offset, u32 size, u32 val, bool hw,
		     u32 hw_val, int ret),
	    TP_ARGS(name, offset, size, val, hw, hw_val, ret),
	    TP_STRUCT__entry(__string(name, name)
			     __field(u32, offset)
			     __field(u32, size)
			     __field(u32, val)
			     __field(bool, hw)
			     __field(u32, hw_val)
			     __field(int, ret)),
	    TP_fast_assign(__assign_str(name, name);
			   __entry->offset = offset;
			   __entry->size = size;
			   __entry->val = val;
			   __entry->hw = hw;
			   __entry->hw_val = hw_val;
			   __entry->ret = ret;),
	    TP_printk("device=%s offset=0x%x size=%u val=0x%x hw=%d hw_val=0x%x ret=%d",
		      __get_str(name), __entry->offset, __entry->size,
		      __entry->val, __entry->hw, __entry->hw_val, __entry->ret)
);

TRACE_EVENT(vfio_pci_mmap_fault,
	    TP_PROTO(const char *name, unsigned int bar, u64 offset,
		     unsigned int result),
	    TP_ARGS(name, bar, offset, result),
	    TP_STRUCT__entry(__string(name, name)
			     __field(unsigned int, bar)
			     __field(u64, offset)
			     __field(unsigned int, result)),
	    TP_fast_assign(__assign_str(name, name);
			   __entry->bar = bar;
			   __entry->offset = offset;
			   __entry->result = result;),
	    TP_printk("device=%s bar=%u offset=0x%llx result=0x%x",
		      __get_str(name), __entry->bar, __entry->offset,
		      __entry->result)
);

TRACE_EVENT(vfio_pci_intx,
	    TP_PROTO(const char *name, bool mask, bool changed),
	    TP_ARGS(name, mask, changed),
	    TP_STRUCT__entry(__string(name, name)
			     __field(bool, mask)
			     __field(bool, changed)),
	    TP_fast_assign(__assign_str(name, name);
			   __entry->mask = mask;
			   __entry->changed = changed;),
	    TP_printk("device=%s %s changed=%d", __get_str(name),
		      __entry->mask ? "mask" : "unmask", __entry->changed)
);

/* ---- mediated devices ---- */

TRACE_EVENT(vfio_mdev_create,
	    TP_PROTO(const char *parent, const char *type, const char *name,
		     int ret),
	    TP_ARGS(parent, type, name, ret),
	    TP_STRUCT__entry(__string(parent, parent)
			     __string(type, type)
			     __string(name, name)
			     __field(int, ret)),
	    TP_fast_assign(__assign_str(parent, parent);
			   __assign_str(type, type);
			   __assign_str(name, name);
			   __entry->ret = ret;),
	    TP_printk("parent=%s type=%s device=%s ret=%d", __get_str(parent),
		      __get_str(type), __get_str(name), __entry->ret)
);

TRACE_EVENT(vfio_mdev_remove,
	    TP_PROTO(const char *name, int ret),
	    TP_ARGS(name, ret),
	    TP_STRUCT__entry(__string(name, name)
			     __field(int, ret)),
	    TP_fast_assign(__assign_str(name, name);
			   __entry->ret = ret;),
	    TP_printk("device=%s ret=%d", __get_str(name), __entry->ret)
);

#endif /* _TRACE_VFIO_H */

/* read again by define_trace.h, past the guard, to emit the events */
#include <trace/define_trace.h>
