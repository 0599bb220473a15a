// SPDX-License-Identifier: GPL-2.0-only
/*
 * Helpers bus drivers share to answer the uAPI the same way: capability
 * chains of the *_INFO ioctls and validation of VFIO_DEVICE_SET_IRQS.
 */
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/vfio.h>

/**
 * vfio_info_cap_add - append a capability to a chain being built
 * @caps: the chain
 * @size: size of the capability, header included
 * @id: capability id
 * @version: capability version
 *
 * The chain is built at offset 0; vfio_info_cap_shift() later moves its
 * "next" offsets behind the fixed info structure.
 *
 * Return: the new header (zeroed beyond id/version/next), or an ERR_PTR;
 * on error the whole chain has been freed.
 */
struct vfio_info_cap_header *vfio_info_cap_add(struct vfio_info_cap *caps,
					       size_t size, u16 id, u16 version)
{
	struct vfio_info_cap_header *header, *tmp;
	size_t start = ALIGN(caps->size, sizeof(u64));
	size_t new_size;
	void *buf;

	/* each capability starts 8-byte aligned */
	if (check_add_overflow(start, size, &new_size))
		goto err;

	buf = krealloc(caps->buf, new_size, GFP_KERNEL);
	if (!buf)
		goto err;

	caps->buf = buf;
	header = buf + start;
	/* the padding before it goes to userspace too: clear it as well */
	memset(buf + caps->size, 0, new_size - caps->size);
	header->id = id;
	header->version = version;

	/* link from the current tail */
	for (tmp = buf; tmp->next; tmp = buf + tmp->next)
		;
	if (tmp != header)
		tmp->next = (void *)header - buf;

	caps->size = new_size;
	return header;

err:
	kfree(caps->buf);
	caps->buf = NULL;
	caps->size = 0;
	return ERR_PTR(-ENOMEM);
}
EXPORT_SYMBOL_GPL(vfio_info_cap_add);

/**
 * vfio_info_cap_shift - make a chain's offsets relative to the info struct
 * @caps: the chain
 * @offset: where the chain will be copied, from the start of the info
 *	structure (normally its size)
 */
void vfio_info_cap_shift(struct vfio_info_cap *caps, size_t offset)
{
	struct vfio_info_cap_header *tmp;
	void *buf = (void *)caps->buf;

	for (tmp = buf; tmp->next; tmp = buf + tmp->next - offset)
		tmp->next += offset;
}
EXPORT_SYMBOL(vfio_info_cap_shift);

/**
 * vfio_info_add_capability - append a prepared capability to a chain
 * @caps: the chain
 * @cap: the capability; its header's id and version are used
 * @size: its size, header included
 *
 * Return: 0 or -ENOMEM.
 */
int vfio_info_add_capability(struct vfio_info_cap *caps,
			     struct vfio_info_cap_header *cap, size_t size)
{
	struct vfio_info_cap_header *header;

	header = vfio_info_cap_add(caps, size, cap->id, cap->version);
	if (IS_ERR(header))
		return PTR_ERR(header);

	memcpy(header + 1, cap + 1, size - sizeof(*header));
	return 0;
}
EXPORT_SYMBOL(vfio_info_add_capability);

/**
 * vfio_info_cap_to_user - put a capability chain behind an info structure
 * @caps: the chain built for an *_INFO reply, maybe empty; always freed
 * @arg: the user's info structure
 * @info_size: size of the fixed info structure; the chain goes right after
 * @argsz: the info's argsz
 * @cap_offset: the info's cap_offset
 *
 * The argsz rule of the *_INFO ioctls: when the user's buffer is too small
 * for the chain, nothing is copied, *@argsz is raised to the size needed
 * and *@cap_offset is 0; otherwise the chain is copied to @arg +
 * @info_size, with its next offsets counted from @arg, and *@cap_offset is
 * @info_size. An empty chain changes nothing. The caller sets its own CAPS
 * flag when the chain is not empty, then copies the info structure.
 *
 * Return: 0, or -EFAULT when the chain could not be copied.
 */
int vfio_info_cap_to_user(struct vfio_info_cap *caps, void __user *arg,
			  size_t info_size, u32 *argsz, u32 *cap_offset)
{
	int ret = 0;

	if (!caps->size)
		goto out;

	if (*argsz < info_size + caps->size) {
		*argsz = info_size + caps->size;
		*cap_offset = 0;
		goto out;
	}

	vfio_info_cap_shift(caps, info_size);
	if (copy_to_user(arg + info_size, caps->buf, caps->size))
		ret = -EFAULT;
	else
		*cap_offset = info_size;
out:
	kfree(caps->buf);
	caps->buf = NULL;
	caps->size = 0;
	return ret;
}
EXPORT_SYMBOL_GPL(vfio_info_cap_to_user);

/**
 * vfio_set_irqs_validate_and_prepare - check a VFIO_DEVICE_SET_IRQS header
 * @hdr: the header, copied from userspace
 * @num_irqs: vectors the index has
 * @max_irq_type: number of irq indexes the device has
 * @data_size: receives the size of the data that follows the header
 *
 * Return: 0 when the header is consistent, -EINVAL otherwise.
 */
int vfio_set_irqs_validate_and_prepare(struct vfio_irq_set *hdr, int num_irqs,
				       int max_irq_type, size_t *data_size)
{
	unsigned long minsz = offsetofend(struct vfio_irq_set, count);
	size_t size;

	if (hdr->argsz < minsz || hdr->index >= max_irq_type ||
	    hdr->count >= (U32_MAX - hdr->start) ||
	    hdr->flags & ~(VFIO_IRQ_SET_DATA_TYPE_MASK |
			   VFIO_IRQ_SET_ACTION_TYPE_MASK))
		return -EINVAL;

	/* even count 0 needs an index that exists */
	if (hdr->start >= num_irqs || hdr->start + hdr->count > num_irqs)
		return -EINVAL;

	switch (hdr->flags & VFIO_IRQ_SET_DATA_TYPE_MASK) {
	case VFIO_IRQ_SET_DATA_NONE:
		size = 0;
		break;
	case VFIO_IRQ_SET_DATA_BOOL:
		size = sizeof(u8);
		break;
	case VFIO_IRQ_SET_DATA_EVENTFD:
		size = sizeof(s32);
		break;
	default:
		return -EINVAL;
	}

	if (size) {
		if (hdr->argsz - minsz < hdr->count * size)
			return -EINVAL;
		if (!data_size)
			return -EINVAL;
		*data_size = hdr->count * size;
	} else if (data_size) {
		*data_size = 0;
	}
	return 0;
}
EXPORT_SYMBOL(vfio_set_irqs_validate_and_prepare);
