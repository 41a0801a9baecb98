"""One typed method per control command, made from the cluster's own ``list_commands`` when a Cluster
connects, so the methods are the table the node serves (client/command_table.cpp) and cannot drift from it.

Every argument is keyword-only; an argument with a default in the table gets that default, a required one
none, an optional one without default is left out of the request when not given. An argument named
like a Python keyword takes a trailing underscore (``set_weights(column=..., from_=..., synapses=...)``). ``help(cluster.advance)``
shows the table's help and each argument's type, range and help.
"""
import inspect
import keyword

_OMITTED = None  # an optional argument not given is not sent


def python_name(arg):
    """An argument's keyword in Python: the table's name, with a trailing underscore when that is a Python
    keyword (set_weights' `from` is `from_`)."""
    return arg + "_" if keyword.iskeyword(arg) else arg


def _arg_doc(a):
    bounds = ""
    if "min" in a or "max" in a:
        bounds = f" in [{a.get('min', '')}, {a.get('max', '')}]"
    return f"    {python_name(a['name'])} ({a['type']}{bounds}{', required' if a['required'] else ''}): {a['help']}"


def make_method(port_call, spec):
    """A function calling ``spec`` (one entry of list_commands) through ``port_call(cmd, args)``."""
    params, wire_name = [], {}
    for a in spec["args"]:
        default = inspect.Parameter.empty if a["required"] else a.get("default", _OMITTED)
        name = python_name(a["name"])
        wire_name[name] = a["name"]
        params.append(inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=default))
    signature = inspect.Signature(params)
    name = spec["name"]

    def method(**kwargs):
        bound = signature.bind(**kwargs)  # TypeError naming a missing or unknown argument, as Python does
        bound.apply_defaults()
        args = {wire_name[k]: v for k, v in bound.arguments.items() if v is not _OMITTED}
        return port_call(name, args)

    method.__name__ = method.__qualname__ = name
    method.__signature__ = signature
    lines = [spec["help"]]
    if not spec.get("implemented", True):
        lines.append("(not implemented by this cluster: answers not_implemented)")
    if spec["args"]:
        lines += ["", "Arguments:"] + [_arg_doc(a) for a in spec["args"]]
    method.__doc__ = "\n".join(lines)
    return method


def make_methods(port_call, table):
    return {spec["name"]: make_method(port_call, spec) for spec in table}
