#!/usr/bin/env bash
# Takes down what up.sh brought up and leaves the machine as it found it: every process stopped by
# its pid (and every container process by its cgroup), mounts under the node's folders unmounted,
# the pods' and the node's network namespaces deleted (with them the bridge and kube-proxy's
# rules), the cgroups removed, /run/containerd and /tmp/hostpath_pv removed when the run made them.
# The logs stay in $STATE/logs until the next up.sh. Safe to run twice.
set -uo pipefail
source "$(dirname "$0")/lib.sh"

[ -d "${STATE}" ] || exit 0

stop() { # name: TERM, up to 10 s, then KILL
  local file="${STATE}/pids/$1.pid" pid
  [ -f "${file}" ] || return 0
  pid=$(cat "${file}")
  if kill -0 "${pid}" 2>/dev/null; then
    kill -TERM "${pid}" 2>/dev/null
    for _ in $(seq 1 100); do kill -0 "${pid}" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "${pid}" 2>/dev/null
  fi
  rm -f "${file}"
}

# The kubelet first, so that nothing restarts the pods; then every container process.
stop kubelet
for hierarchy in /sys/fs/cgroup/*/kubepods /sys/fs/cgroup/unified/kubepods; do
  [ -d "${hierarchy}" ] || continue
  find "${hierarchy}" -name cgroup.procs -exec cat {} + 2>/dev/null | xargs -r kill -KILL 2>/dev/null
done
for name in kube-proxy dns dnsmasq kube-scheduler kube-controller-manager kube-apiserver etcd forward containerd; do
  stop "${name}"
done
# containerd's shims outlive it by design.
pkill -KILL -f -- "-address ${CONTAINERD_SOCKET}" 2>/dev/null

# Mounts: the kubelet's volumes, containerd's snapshots and sandbox /dev/shm, deepest first.
findmnt -rn -o TARGET | grep -E "^(${STATE}|/run/containerd)/" | sort -r | while read -r target; do
  umount -l "${target}" 2>/dev/null
done
# Cgroups the kubelet and runc made, deepest first.
for hierarchy in /sys/fs/cgroup/*/kubepods /sys/fs/cgroup/unified/kubepods; do
  [ -d "${hierarchy}" ] && find "${hierarchy}" -depth -type d -exec rmdir {} + 2>/dev/null
done
# Pods' network namespaces (containerd names them cni-…), then the node's.
if [ -f "${STATE}/netns-before" ]; then
  ip netns list | awk '{print $1}' | grep -vxF -f "${STATE}/netns-before" | while read -r ns; do
    [ "${ns}" = "${NETNS}" ] || ip netns delete "${ns}" 2>/dev/null
  done
fi
ip netns delete "${NETNS}" 2>/dev/null
[ ! -f "${STATE}/made-run-containerd" ] || rm -rf /run/containerd
[ ! -f "${STATE}/made-hostpath-pv" ] || rm -rf /tmp/hostpath_pv
find "${STATE}" -mindepth 1 -maxdepth 1 ! -name logs -exec rm -rf {} + 2>/dev/null
log "down"
