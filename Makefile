# SPDX-License-Identifier: GPL-2.0-only
#
# Out-of-tree driver for the VFIO module set. In a kernel tree the Kbuild
# files under drivers/ and samples/ are used directly and this file is not.
#
#   make            build every module and the selftests
#   make demo       build, boot a guest, bind edu to vfio-pci and drive it
#   make check      every test: host checks, runner self-tests, guest suite,
#                   then the debug tier (make check-stock / make check-debug)
#
# The kernel is Debian's 6.1 amd64 one that is installed (scripts/kver),
# never the running one.

REPO		:= $(CURDIR)
CACHE		?= $(or $(VFIO_CACHE),$(HOME)/.cache/vfio)
KSRC		:= $(CACHE)/linux-source-6.1
KVER		?= $(shell $(REPO)/scripts/kver 2>/dev/null)
KDIR		?= /lib/modules/$(KVER)/build
OUT		:= $(REPO)/build

# The upstream Kconfig symbols, set by hand since Debian's config is fixed.
MODCONFIG	:= CONFIG_VFIO=m CONFIG_VFIO_IOMMU_TYPE1=m CONFIG_VFIO_VIRQFD=m \
		   CONFIG_VFIO_NOIOMMU=y CONFIG_VFIO_PCI_CORE=m CONFIG_VFIO_PCI=m \
		   CONFIG_VFIO_MDEV=m CONFIG_SAMPLE_VFIO_MDEV_MTTY=m

# Our headers come first so they shadow the kernel's linux/vfio.h and
# uapi/linux/vfio.h; NOSTDINC_FLAGS precedes LINUXINCLUDE on the command line.
KBUILD_ARGS	:= -C $(KDIR) M=$(REPO) $(MODCONFIG) \
		   NOSTDINC_FLAGS="-I$(REPO)/include" KCFLAGS=-Werror

MODULES		:= drivers/vfio/vfio.ko drivers/vfio/vfio_virqfd.ko \
		   drivers/vfio/vfio_iommu_type1.ko \
		   drivers/vfio/pci/vfio-pci-core.ko drivers/vfio/pci/vfio-pci.ko \
		   drivers/vfio/mdev/mdev.ko samples/mtty/mtty.ko

SELFTESTS	:= $(REPO)/tools/testing/selftests/vfio

.PHONY: all modules selftests probe deps ksrc demo check check-host check-runner \
	check-guest sparse checkpatch clean _demo _check bench _bench l2 \
	check-stock _check-stock check-debug _check-debug debug-kernel deb \
	stock-mtty notrace

all: modules selftests probe l2

deps:
	@$(REPO)/scripts/deps

$(KSRC)/.unpacked:
	@mkdir -p $(CACHE)
	@echo "  UNPACK  linux-source-6.1 -> $(KSRC)"
	@rm -rf $(KSRC)
	@tar -C $(CACHE) -xJf /usr/src/linux-source-6.1.tar.xz
	@touch $@

ksrc: $(KSRC)/.unpacked

modules:
	@test -n "$(KVER)" || { echo "no Debian 6.1 kernel/headers: run 'make deps'"; exit 1; }
	$(MAKE) $(KBUILD_ARGS) modules

# The second-level guest of the QEMU passthrough test (qemu_edu.sh).
l2: ksrc
	@test -n "$(KVER)" || { echo "no Debian 6.1 kernel/headers: run 'make deps'"; exit 1; }
	$(REPO)/tools/testing/e2e/mkl2 $(KVER) $(KSRC)

# The test-only vfio_pin_probe module of the selftests (vfio_pin_pages.c),
# against our vfio.ko; the debug tier builds its own (tools/debug/check-debug).
PROBE		:= $(SELFTESTS)/pin_probe

probe: modules
	@# modpost again: the CRCs of our exports change with our headers
	@rm -f $(PROBE)/vfio_pin_probe.ko $(PROBE)/vfio_pin_probe.mod.c
	$(MAKE) -C $(KDIR) M=$(PROBE) NOSTDINC_FLAGS="-I$(REPO)/include" \
		KBUILD_EXTRA_SYMBOLS=$(REPO)/Module.symvers KCFLAGS=-Werror modules
	@mkdir -p $(OUT)/probe
	cp $(PROBE)/vfio_pin_probe.ko $(OUT)/probe/

# Upstream 6.1's mtty sample, from linux-source-6.1 (unpacked, never kept in
# the repo), built against Debian's headers: Debian ships no mtty, so this is
# the stock side of make bench's mtty figures, with Debian's own mdev.ko.
STOCK_MTTY	:= $(OUT)/stock-mtty

stock-mtty: ksrc
	@rm -rf $(STOCK_MTTY)
	@mkdir -p $(STOCK_MTTY)
	cp $(KSRC)/samples/vfio-mdev/mtty.c $(STOCK_MTTY)/
	echo 'obj-m += mtty.o' > $(STOCK_MTTY)/Kbuild
	$(MAKE) -C $(KDIR) M=$(STOCK_MTTY) modules

# Our modules once more with every tracepoint compiled out (NOTRACE makes
# include/linux/tracepoint.h define them as empty inlines): the third set of
# make bench, which shows what our disabled tracepoints cost. Built from a
# copy of the sources, since Kbuild puts objects beside them.
NOTRACE		:= $(OUT)/notrace

notrace:
	@test -n "$(KVER)" || { echo "no Debian 6.1 kernel/headers: run 'make deps'"; exit 1; }
	@rm -rf $(NOTRACE) $(NOTRACE)-src
	@mkdir -p $(NOTRACE) $(NOTRACE)-src
	@cd $(REPO) && find Kbuild drivers samples include \( -name '*.[ch]' -o \
		-name Kbuild -o -name Kconfig \) -print0 | \
		xargs -0 cp --parents -t $(NOTRACE)-src
	$(MAKE) -C $(KDIR) M=$(NOTRACE)-src $(MODCONFIG) \
		NOSTDINC_FLAGS="-I$(NOTRACE)-src/include" \
		KCFLAGS="-Werror -DNOTRACE" modules
	cp $(addprefix $(NOTRACE)-src/,$(MODULES)) $(NOTRACE)/

# The DKMS package vfio-kmods-dkms_<version>_all.deb, into build/deb/.
deb:
	@$(REPO)/scripts/mkdeb

selftests: ksrc
	@mkdir -p $(OUT)/selftests
	$(MAKE) -C $(SELFTESTS) KSRC=$(KSRC) REPO=$(REPO) OUTPUT=$(OUT)/selftests

sparse: ksrc
	$(MAKE) $(KBUILD_ARGS) C=2 modules

checkpatch: ksrc
	@$(REPO)/scripts/checkpatch-all $(KSRC)

# --- The two commands of the README -----------------------------------------

demo: deps
	@$(MAKE) --no-print-directory _demo

_demo: all
	$(REPO)/tools/guest/run-guest --demo

# Not part of check: type1 speed, ours and Debian's stock modules side by side.
bench: deps
	@$(MAKE) --no-print-directory _bench

_bench: all stock-mtty notrace
	$(REPO)/tools/guest/run-guest --bench --logdir $(OUT)/guest-bench

# Every test: the tier on Debian's kernel, then the debug tier (both run even
# if the first fails; the exit status is the worse of the two).
check: deps
	@$(MAKE) --no-print-directory _check

_check: all
	$(REPO)/tools/check

# One tier: Debian's kernel, or the in-tree debug kernel (KASAN, lockdep,
# kmemleak, KUnit; built once and cached, see tools/debug/build-kernel).
check-stock: deps
	@$(MAKE) --no-print-directory _check-stock

_check-stock: all
	$(REPO)/tools/guest/check-all

check-debug: deps
	@$(MAKE) --no-print-directory _check-debug

_check-debug: all
	$(REPO)/tools/debug/check-debug

debug-kernel: deps ksrc
	$(REPO)/tools/debug/build-kernel

clean:
	-$(MAKE) $(KBUILD_ARGS) clean
	rm -rf $(OUT)
