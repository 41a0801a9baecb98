# p3p-neuron %post: the p3p system user, its state directory, a cluster key on first install only.
getent passwd p3p >/dev/null || useradd --system --user-group --home-dir /var/lib/p3p --no-create-home --shell /sbin/nologin p3p
install -d -m 0750 -o p3p -g p3p /var/lib/p3p /var/lib/p3p/snapshots
if [ ! -e /etc/p3p/cluster.key ]; then
  p3pctl keygen /etc/p3p/cluster.key >/dev/null
  chown p3p:p3p /etc/p3p/cluster.key
  chmod 0600 /etc/p3p/cluster.key
fi
[ -d /run/systemd/system ] && systemctl daemon-reload >/dev/null 2>&1 || :
