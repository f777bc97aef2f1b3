#!/usr/bin/env bash
# Installs what the integration lab (test/integration/lab/) needs: per-host sshd and dockerd,
# a local registry, static busybox for FROM-scratch images, and redis for the accessory image.
# Idempotent and quiet; safe to run on every CI start.
set -euo pipefail

packages=(
  docker.io          # dockerd + Debian's docker client (matches the daemon), containerd, runc
  openssh-server     # one sshd per lab host
  openssh-client     # ssh, ssh-keygen, ssh-keyscan
  docker-registry    # the lab registry (distribution 2.8)
  busybox-static     # shell + httpd inside FROM-scratch images
  iproute2           # ip netns, veth, bridge
  iptables           # the FORWARD rule for the lab bridge
  util-linux         # nsenter, unshare
  tini               # PID 1 of each host's namespaces
  curl
  redis-server       # binary + libs for the accessory image
  redis-tools        # redis-cli for the tests
  procps
  git                # sextant versions builds by commit; the deploy tests create app repos
)

if [ "$(id -u)" -ne 0 ]; then
  echo "install-lab.sh: run as root (the lab creates network namespaces and starts dockerd)" >&2
  exit 1
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  # Packages must not start their services: the lab runs its own daemons in namespaces.
  policy=/usr/sbin/policy-rc.d
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' > "$policy" && chmod +x "$policy"
    trap 'rm -f "$policy"' EXIT
  fi
  log=$(mktemp)
  if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends -o Dpkg::Use-Pty=0 "${missing[@]}"; } >"$log" 2>&1; then
    cat "$log" >&2
    echo "install-lab.sh: apt-get failed installing: ${missing[*]}" >&2
    exit 1
  fi
  rm -f "$log"
fi

echo "install-lab.sh: lab packages present (${#missing[@]} installed now)"
