#!/usr/bin/env bash
# build-containerdisk.sh OS_IMAGE DISK_IMAGE
#
# Turns the bootc node OS image into what KubeVirt can boot:
#   1. bootc-image-builder installs OS_IMAGE into a qcow2 disk;
#   2. the kernel and initramfs are copied from OS_IMAGE's /usr/lib/modules/<kver>/ (there must be exactly one kernel);
#   3. the kernel arguments (with the deployment's ostree=) are read from the disk's boot entry;
#   4. Containerfile.disk packs all of it into DISK_IMAGE: /disk/disk.qcow2 (owned 107:107) for containerDisk,
#      /boot/vmlinuz, /boot/initramfs.img and /boot/kernel-args for kernelBoot.
#
# Needs rootful podman (bootc-image-builder reads the image from root's container storage), guestfish, and the network
# for the builder image. Environment: PODMAN (the container engine, default podman; the Makefile passes its own),
# WORK_DIR (default node-image/out), BIB_IMAGE (the pinned builder image).
set -euo pipefail

usage() { echo "usage: $0 OS_IMAGE DISK_IMAGE" >&2; exit 2; }
fail() { echo "build-containerdisk: error: $*" >&2; exit 1; }
step() { echo "build-containerdisk: $*"; }

[[ $# -eq 2 ]] || usage
readonly OS_IMAGE=$1 DISK_IMAGE=$2
here=$(cd "$(dirname "$0")" && pwd)
readonly NODE_IMAGE_DIR=${here%/scripts}
readonly WORK_DIR=${WORK_DIR:-$NODE_IMAGE_DIR/out}
readonly PODMAN=${PODMAN:-podman}
# A digest-named tag of the CentOS bootc-image-builder (the one Podman Desktop's bootc extension pins); override to
# move on. Never :latest: the disk layout, and so the harvested kernel arguments, depend on the builder.
readonly BIB_IMAGE=${BIB_IMAGE:-quay.io/centos-bootc/bootc-image-builder:sha256-c2d6830647c095e29c8cabd1ef6ae0e903e77675b953655428ac5cef147541a0}

rm -rf "$WORK_DIR"
mkdir -p "$WORK_DIR/bib" "$WORK_DIR/context/boot"
readonly CONTEXT=$WORK_DIR/context

step "installing $OS_IMAGE into a qcow2 disk with $BIB_IMAGE"
"$PODMAN" run --rm --privileged --pull=missing \
  --security-opt label=type:unconfined_t \
  -v "$WORK_DIR/bib:/output" \
  -v /var/lib/containers/storage:/var/lib/containers/storage \
  "$BIB_IMAGE" --type qcow2 --rootfs xfs "$OS_IMAGE"
[[ -s $WORK_DIR/bib/qcow2/disk.qcow2 ]] || fail "bootc-image-builder wrote no $WORK_DIR/bib/qcow2/disk.qcow2"
mv "$WORK_DIR/bib/qcow2/disk.qcow2" "$CONTEXT/disk.qcow2"

modules=$("$PODMAN" run --rm --entrypoint /usr/bin/ls "$OS_IMAGE" /usr/lib/modules) || fail "cannot list /usr/lib/modules in $OS_IMAGE"
mapfile -t kernels < <(grep -v '^$' <<< "$modules" || true)
(( ${#kernels[@]} == 1 )) || fail "expected exactly one kernel in $OS_IMAGE:/usr/lib/modules, found: ${kernels[*]:-none}"
readonly KVER=${kernels[0]}
step "copying kernel $KVER and its initramfs from $OS_IMAGE"
container=$("$PODMAN" create "$OS_IMAGE")
trap '"$PODMAN" rm -f "$container" >/dev/null 2>&1 || true' EXIT
"$PODMAN" cp "$container:/usr/lib/modules/$KVER/vmlinuz" "$CONTEXT/boot/vmlinuz"
"$PODMAN" cp "$container:/usr/lib/modules/$KVER/initramfs.img" "$CONTEXT/boot/initramfs.img"

step "reading the kernel arguments from the disk's boot entry"
"$here/harvest-kernel-args.sh" "$CONTEXT/disk.qcow2" "$KVER" > "$CONTEXT/boot/kernel-args"

step "building $DISK_IMAGE"
"$PODMAN" build -f "$NODE_IMAGE_DIR/Containerfile.disk" -t "$DISK_IMAGE" "$CONTEXT"

step "done. For kernelBoot set MaroonedPodsConfig spec.kernelBootConfig.kernelArgs to (also in /boot/kernel-args of $DISK_IMAGE):"
cat "$CONTEXT/boot/kernel-args"
