#!/usr/bin/env bash
# harvest-kernel-args.sh DISK.qcow2 [KERNEL_VERSION]
#
# Prints the kernel arguments of the one boot entry in a disk built by bootc-image-builder: the `options` line of
# /boot/loader/entries/*.conf, which carries the deployment's `ostree=` path and the root/boot filesystem UUIDs.
# KubeVirt's kernelBoot passes no bootloader, so these arguments must be given to the VMI verbatim; they belong to
# this disk only (a rebuilt disk has new UUIDs and a new ostree= path).
#
# With KERNEL_VERSION, also checks that the entry boots that kernel (vmlinuz-<kver>), so the kernel and initramfs
# published next to the disk are the ones its boot entry names.
#
# Reads the disk with guestfish (libguestfs), read-only. BOOT_LABEL (default "boot") is the label of the /boot
# filesystem. Exit codes: 2 usage, 3 guestfish failed, 4 not exactly one boot entry, 5 no ostree= argument,
# 6 the entry boots another kernel.
set -euo pipefail

usage() { echo "usage: $0 DISK.qcow2 [KERNEL_VERSION]" >&2; exit 2; }
fail() { local code=$1; shift; echo "harvest-kernel-args: error: $*" >&2; exit "$code"; }

[[ $# -ge 1 && $# -le 2 ]] || usage
readonly DISK=$1 KVER=${2:-}
readonly BOOT_LABEL=${BOOT_LABEL:-boot}
[[ -r $DISK ]] || fail 2 "cannot read $DISK"
command -v guestfish >/dev/null || fail 3 "guestfish is not installed (libguestfs-tools / guestfs-tools)"

gf() { guestfish --ro -a "$DISK" run : "$@"; }

boot_dev=$(gf findfs-label "$BOOT_LABEL") || fail 3 "no filesystem labelled '$BOOT_LABEL' in $DISK"
listing=$(gf mount-ro "$boot_dev" / : ls /loader/entries) || fail 3 "cannot list /loader/entries on $boot_dev"
mapfile -t entries < <(grep '\.conf$' <<< "$listing" || true)
(( ${#entries[@]} == 1 )) \
  || fail 4 "expected exactly one boot entry in $DISK:/boot/loader/entries, found ${#entries[@]}: ${entries[*]:-none}"
entry=$(gf mount-ro "$boot_dev" / : cat "/loader/entries/${entries[0]}") || fail 3 "cannot read the boot entry"

options=$(sed -n 's/^options[[:space:]]\{1,\}//p' <<< "$entry" | head -n 1)
linux=$(sed -n 's/^linux[[:space:]]\{1,\}//p' <<< "$entry" | head -n 1)
[[ " $options " == *" ostree="* ]] \
  || fail 5 "the boot entry ${entries[0]} has no ostree= argument (options: '$options'): is this a bootc disk?"
if [[ -n $KVER && $linux != */vmlinuz-"$KVER" ]]; then
  fail 6 "the boot entry boots '$linux', not the image's kernel $KVER"
fi
printf '%s\n' "$options"
