#!/usr/bin/env python3
"""The cluster DNS's records, kept in step with the API server (Debian has no CoreDNS).

Usage: dns.py KUBECONFIG_TOKEN_FILE CA_FILE HOSTS_FILE DNSMASQ_PID_FILE

Every second: every Service's name resolves to its cluster IP; a headless Service's name to the
addresses of its ready endpoints, and `<hostname>.<service>` (a StatefulSet pod) to that pod's. The
hosts file dnsmasq serves is rewritten when that changes and dnsmasq told to re-read it (SIGHUP).
"""
import json
import os
import signal
import ssl
import sys
import time
import urllib.request

DOMAIN = "svc.cluster.local"


def get(path: str, token: str, context: ssl.SSLContext) -> dict:
    request = urllib.request.Request(f"https://127.0.0.1:6443{path}", headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, context=context, timeout=5) as response:
        return json.load(response)


def records(services: dict, endpoints: dict) -> list[str]:
    lines = []
    headless = set()
    for service in services["items"]:
        meta, ip = service["metadata"], service["spec"].get("clusterIP")
        name = f"{meta['name']}.{meta['namespace']}.{DOMAIN}"
        if ip == "None":
            headless.add((meta["namespace"], meta["name"]))
        elif ip:
            lines.append(f"{ip} {name}")
    for item in endpoints["items"]:
        meta = item["metadata"]
        if (meta["namespace"], meta["name"]) not in headless:
            continue
        name = f"{meta['name']}.{meta['namespace']}.{DOMAIN}"
        for subset in item.get("subsets") or []:
            for address in subset.get("addresses") or []:
                lines.append(f"{address['ip']} {name}")
                if address.get("hostname"):
                    lines.append(f"{address['ip']} {address['hostname']}.{name}")
    return sorted(lines)


def main() -> None:
    token_file, ca_file, hosts_file, pid_file = sys.argv[1:5]
    token = open(token_file).read().strip()
    context = ssl.create_default_context(cafile=ca_file)
    written = None
    while True:
        try:
            text = "\n".join(records(get("/api/v1/services", token, context), get("/api/v1/endpoints", token, context))) + "\n"
            if text != written:
                with open(hosts_file + ".new", "w") as f:
                    f.write(text)
                os.replace(hosts_file + ".new", hosts_file)
                os.kill(int(open(pid_file).read().strip()), signal.SIGHUP)
                written = text
        except (OSError, ValueError) as e:
            print(f"dns: {e}", file=sys.stderr, flush=True)
        time.sleep(1)


if __name__ == "__main__":
    main()
