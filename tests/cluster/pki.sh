#!/usr/bin/env bash
# The node's certificates and credentials, made fresh for each cluster in $STATE/pki:
#   ca.{crt,key}          the cluster CA (API server clients, the kubelet's client CA)
#   apiserver.{crt,key}   the API server's serving certificate: loopback (the tests reach it through
#                         a forwarder), the node address and the kubernetes Service's names and IP
#   apiserver-kubelet.*   the API server's client certificate towards the kubelet (logs, exec)
#   sa.{key,pub}          service-account token signing
#   tokens.csv            bearer tokens of the admin, the kubelet, kube-proxy, the scheduler and
#                         the controller-manager (each as the user the built-in RBAC expects)
set -euo pipefail
source "$(dirname "$0")/lib.sh"

pki="${STATE}/pki"
mkdir -p "${pki}"
cd "${pki}"
quiet() { "$@" >/dev/null 2>&1; }

quiet openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 7 -subj "/CN=flumek8s-node-ca"

sign() { # name subject [extensions file]
  local name=$1 subject=$2 extensions=${3:-}
  quiet openssl req -newkey rsa:2048 -nodes -keyout "${name}.key" -out "${name}.csr" -subj "${subject}"
  quiet openssl x509 -req -in "${name}.csr" -CA ca.crt -CAkey ca.key -CAcreateserial -days 7 -out "${name}.crt" \
    ${extensions:+-extfile "${extensions}"}
  rm -f "${name}.csr"
}

cat >apiserver.ext <<EXT
subjectAltName = IP:127.0.0.1, IP:${NODE_IP}, IP:${KUBERNETES_SERVICE_IP}, DNS:kubernetes, DNS:kubernetes.default, DNS:kubernetes.default.svc, DNS:kubernetes.default.svc.cluster.local, DNS:localhost
extendedKeyUsage = serverAuth
EXT
sign apiserver "/CN=kube-apiserver" apiserver.ext
printf 'extendedKeyUsage = clientAuth\n' >client.ext
sign apiserver-kubelet "/O=system:masters/CN=kube-apiserver-kubelet-client" client.ext
rm -f apiserver.ext client.ext

quiet openssl genrsa -out sa.key 2048
quiet openssl rsa -in sa.key -pubout -out sa.pub

token() { head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n'; }
{
  echo "$(token),admin,admin,\"system:masters\""
  echo "$(token),system:node:${NODE_NAME},kubelet,\"system:nodes\""
  echo "$(token),system:kube-proxy,kube-proxy,"
  echo "$(token),system:kube-scheduler,kube-scheduler,"
  echo "$(token),system:kube-controller-manager,kube-controller-manager,"
} >tokens.csv
chmod 600 ./*.key tokens.csv

# A kubeconfig per user; the server is the API server as seen from inside the node's namespace.
for user in admin "system:node:${NODE_NAME}" system:kube-proxy system:kube-scheduler system:kube-controller-manager; do
  file="${user##*:}"
  [ "${user}" != "system:node:${NODE_NAME}" ] || file=kubelet
  cat >"${file}.kubeconfig" <<KUBECONFIG
apiVersion: v1
kind: Config
clusters:
- name: flumek8s-node
  cluster:
    server: https://127.0.0.1:6443
    certificate-authority: ${pki}/ca.crt
users:
- name: ${user}
  user:
    token: $(awk -F, -v u="${user}" '$2 == u { print $1 }' tokens.csv)
contexts:
- name: flumek8s-node
  context: {cluster: flumek8s-node, user: "${user}"}
current-context: flumek8s-node
KUBECONFIG
done
