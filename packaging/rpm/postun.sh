# p3p-neuron %postun: the data stays (rpm has no purge; remove /var/lib/p3p and /etc/p3p/cluster.key by hand).
[ -d /run/systemd/system ] && systemctl daemon-reload >/dev/null 2>&1 || :
