"""Runs robustness cases given by index on stdin-less argv, printing one JSON line per case as it ends.

Each case: the reference, then accumetrics, on the same odd arguments. A case passes when accumetrics returns the
reference's value, or raises ValueError, TypeError or OverflowError naming the argument (for the sklearn-style
functions and Keras classes, also an error where the peer raises one too), with the state unchanged.
"""

from __future__ import annotations

import json
import os
import resource
import sys

sys.path.insert(0, os.path.dirname(__file__))

from cases import all_cases, arguments, by_name  # noqa: E402
from targets import Refused  # noqa: E402

CLEAN = (ValueError, TypeError, OverflowError)


def outcome(target, odd):
    args = arguments(target, odd)
    peer_error = None
    try:
        reference, peer_refused = target.reference(args), None
    except Exception as e:  # noqa: BLE001  (Refused, or the peer's own error)
        reference, peer_refused = None, f"{type(e).__name__}: {e}"
        peer_error = e.__cause__ or e
    try:
        ours = target.run(arguments(target, odd))
    except AssertionError as e:
        return "fail", str(e)
    except Exception as e:  # noqa: BLE001
        message = str(e)
        names = [n for arg, _ in odd for n in target.names.get(arg, (arg,))]
        if isinstance(e, CLEAN) and any(n in message for n in names):
            return "refused", None
        # the sklearn-style functions and Keras classes may fail as their peer does on the same input
        if peer_refused is not None and target.peer_messages and (
                isinstance(e, CLEAN) or type(e) is type(peer_error)):
            return "refused as the peer", None
        if isinstance(e, CLEAN):
            return "fail", f"{type(e).__name__} without the argument's name: {message[:300]}"
        return "fail", f"raised {type(e).__name__}: {message[:300]}"
    if peer_refused is not None:
        return "fail", f"accepted what the reference refuses ({peer_refused[:200]}): returned {ours[:200]}"
    if ours != reference:
        return "fail", f"returned {ours[:300]}, the reference {reference[:300]}"
    return "equal", None


def main():
    first, last, memory = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    if memory:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    cases, targets = all_cases(), by_name()
    abort_at = os.environ.get("ROBUSTNESS_ABORT_AT")  # to test that a signal fails only its own case
    for i in range(first, last):
        if str(i) == abort_at:
            os.abort()
        name, _, odd = cases[i]
        result, detail = outcome(targets[name], odd)
        print(json.dumps({"case": i, "outcome": result, "detail": detail}), flush=True)


if __name__ == "__main__":
    main()
