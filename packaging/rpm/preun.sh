# p3p-neuron %preun: on erase (not upgrade), stop the nodes first.
if [ "$1" -eq 0 ] && [ -d /run/systemd/system ]; then
  systemctl stop p3p.target 'p3p-node@*.service' >/dev/null 2>&1 || :
fi
