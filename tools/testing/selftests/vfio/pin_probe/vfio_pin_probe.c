// SPDX-License-Identifier: GPL-2.0-only
/*
 * vfio_pin_probe: a test-only emulated VFIO device. Its ioctls pin and
 * unpin IOVAs of its container with vfio_pin_pages(), as a vendor driver
 * of a mediated device would, so that the selftests reach the type1 paths
 * of emulated-device pinning (accounting, replay into a new IOMMU domain,
 * dirty tracking, VM_PFNMAP memory). Never part of the product.
 */
#include <linux/device.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/platform_device.h>
#include <linux/uaccess.h>
#include <linux/vfio.h>

#include "vfio_pin_probe.h"

#define PROBE_MAX_PINS	64

struct probe_pin {
	u64 iova;
	u32 npage;
};

struct probe_device {
	struct vfio_device vdev;
	struct mutex lock;	/* @pins */
	struct probe_pin pins[PROBE_MAX_PINS];
};

static struct platform_device *probe_pdev;

static struct probe_device *to_probe(struct vfio_device *vdev)
{
	return container_of(vdev, struct probe_device, vdev);
}

/* Unpin (and forget) every pin inside [iova, iova + length). */
static void probe_unpin_range(struct probe_device *p, u64 iova, u64 length)
{
	unsigned int i;

	mutex_lock(&p->lock);
	for (i = 0; i < PROBE_MAX_PINS; i++) {
		struct probe_pin *pin = &p->pins[i];

		if (!pin->npage || pin->iova < iova ||
		    pin->iova - iova >= length)
			continue;
		vfio_unpin_pages(&p->vdev, pin->iova, pin->npage);
		pin->npage = 0;
	}
	mutex_unlock(&p->lock);
}

static long probe_pin(struct probe_device *p, void __user *arg)
{
	struct vfio_pin_probe_pin req;
	struct page *pages[16];
	unsigned int i;
	int ret;

	if (copy_from_user(&req, arg, sizeof(req)))
		return -EFAULT;
	if (!req.npage || req.npage > ARRAY_SIZE(pages))
		return -EINVAL;

	mutex_lock(&p->lock);
	for (i = 0; i < PROBE_MAX_PINS && p->pins[i].npage; i++)
		;
	if (i == PROBE_MAX_PINS) {
		ret = -ENOSPC;
		goto out;
	}
	ret = vfio_pin_pages(&p->vdev, req.iova, req.npage, req.prot, pages);
	if (ret < 0)
		goto out;
	if (ret != req.npage) {
		vfio_unpin_pages(&p->vdev, req.iova, ret);
		ret = -EIO;
		goto out;
	}
	p->pins[i].iova = req.iova;
	p->pins[i].npage = req.npage;
	req.pfn = page_to_pfn(pages[0]);
	ret = copy_to_user(arg, &req, sizeof(req)) ? -EFAULT : 0;
out:
	mutex_unlock(&p->lock);
	return ret;
}

static long probe_unpin(struct probe_device *p, void __user *arg)
{
	struct vfio_pin_probe_pin req;
	unsigned int i;

	if (copy_from_user(&req, arg, sizeof(req)))
		return -EFAULT;

	mutex_lock(&p->lock);
	for (i = 0; i < PROBE_MAX_PINS; i++) {
		struct probe_pin *pin = &p->pins[i];

		if (pin->npage && pin->iova == req.iova &&
		    pin->npage == req.npage) {
			vfio_unpin_pages(&p->vdev, pin->iova, pin->npage);
			pin->npage = 0;
			break;
		}
	}
	mutex_unlock(&p->lock);
	return i == PROBE_MAX_PINS ? -ENOENT : 0;
}

/* No regions, no interrupts. */
static long probe_get_info(void __user *arg)
{
	struct vfio_device_info info = { .argsz = sizeof(info) };
	u32 argsz;

	if (get_user(argsz, (u32 __user *)arg))
		return -EFAULT;
	if (argsz < offsetofend(struct vfio_device_info, num_irqs))
		return -EINVAL;
	return copy_to_user(arg, &info, offsetofend(struct vfio_device_info,
						    num_irqs)) ? -EFAULT : 0;
}

static long probe_ioctl(struct vfio_device *vdev, unsigned int cmd,
			unsigned long arg)
{
	switch (cmd) {
	case VFIO_DEVICE_GET_INFO:
		return probe_get_info((void __user *)arg);
	case VFIO_PIN_PROBE_PIN:
		return probe_pin(to_probe(vdev), (void __user *)arg);
	case VFIO_PIN_PROBE_UNPIN:
		return probe_unpin(to_probe(vdev), (void __user *)arg);
	}
	return -ENOTTY;
}

static void probe_dma_unmap(struct vfio_device *vdev, u64 iova, u64 length)
{
	probe_unpin_range(to_probe(vdev), iova, length);
}

static void probe_close(struct vfio_device *vdev)
{
	probe_unpin_range(to_probe(vdev), 0, U64_MAX);
}

static int probe_init(struct vfio_device *vdev)
{
	mutex_init(&to_probe(vdev)->lock);
	return 0;
}

static const struct vfio_device_ops probe_ops = {
	.name		= "vfio-pin-probe",
	.init		= probe_init,
	.close_device	= probe_close,
	.ioctl		= probe_ioctl,
	.dma_unmap	= probe_dma_unmap,
};

/* The vfio device's parent must have a driver: vfio pins its module. */
static int probe_driver_probe(struct platform_device *pdev)
{
	struct probe_device *p;
	int ret;

	p = vfio_alloc_device(probe_device, vdev, &pdev->dev, &probe_ops);
	if (IS_ERR(p))
		return PTR_ERR(p);
	ret = vfio_register_emulated_iommu_dev(&p->vdev);
	if (ret) {
		vfio_put_device(&p->vdev);
		return ret;
	}
	platform_set_drvdata(pdev, p);
	return 0;
}

static int probe_driver_remove(struct platform_device *pdev)
{
	struct probe_device *p = platform_get_drvdata(pdev);

	vfio_unregister_group_dev(&p->vdev);
	vfio_put_device(&p->vdev);
	return 0;
}

static struct platform_driver probe_driver = {
	.probe	= probe_driver_probe,
	.remove	= probe_driver_remove,
	.driver	= { .name = VFIO_PIN_PROBE_NAME },
};

static int __init probe_module_init(void)
{
	int ret;

	ret = platform_driver_register(&probe_driver);
	if (ret)
		return ret;
	probe_pdev = platform_device_register_simple(VFIO_PIN_PROBE_NAME, -1,
						     NULL, 0);
	if (IS_ERR(probe_pdev)) {
		platform_driver_unregister(&probe_driver);
		return PTR_ERR(probe_pdev);
	}
	return 0;
}

static void __exit probe_module_exit(void)
{
	platform_device_unregister(probe_pdev);
	platform_driver_unregister(&probe_driver);
}

module_init(probe_module_init);
module_exit(probe_module_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Test-only emulated VFIO device that pins IOVAs");
