"""`python -m pyrsc ARGS`: the `pyrsc` command."""
import sys

from .build import binary


def main() -> int:
    import subprocess

    return subprocess.call([str(binary()), *sys.argv[1:]])


if __name__ == "__main__":
    sys.exit(main())
