"""An exception-heavy loop: parse tokens, a third of which are not numbers (ValueError),
and divide by values that are sometimes zero (ZeroDivisionError)."""
import sys


def parse_all(tokens: list[str]) -> int:
    total = 0
    failures = 0
    for t in tokens:
        try:
            value = int(t)
            total += 1000 // (value % 7)
        except ValueError:
            failures += 1
        except ZeroDivisionError:
            failures += 2
    return total * 10 + failures


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100000
    tokens: list[str] = []
    for i in range(n):
        if i % 3 == 0:
            tokens.append("x" + str(i))
        else:
            tokens.append(str(i * 7919 % 100003))
    print(parse_all(tokens))


main()
