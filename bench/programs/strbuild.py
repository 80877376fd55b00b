"""String building: f-strings, str methods and joins into a CSV-like report."""
import sys


def report(n: int) -> str:
    lines: list[str] = []
    for i in range(n):
        name = f"item{i % 97:03d}"
        value = (i * 37 % 1000) / 7.0
        tag = "even" if i % 2 == 0 else "odd"
        lines.append(f"{name},{value:.3f},{tag.upper()},{name[::-1]}")
    return "\n".join(lines)


text = report(int(sys.argv[1]) if len(sys.argv) > 1 else 100000)
fields = text.split("\n")
print(len(text), len(fields), fields[0], fields[-1], text.count("ODD"))
