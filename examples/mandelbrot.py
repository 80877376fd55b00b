"""ASCII Mandelbrot set: `pyrsc run examples/mandelbrot.py -- 40` (or `python3 examples/mandelbrot.py 40`)."""
import sys


def escape_time(cr: float, ci: float, limit: int) -> int:
    zr = 0.0
    zi = 0.0
    for i in range(limit):
        zr2 = zr * zr
        zi2 = zi * zi
        if zr2 + zi2 > 4.0:
            return i
        zi = 2.0 * zr * zi + ci
        zr = zr2 - zi2 + cr
    return limit


def render(rows: int) -> None:
    cols = rows * 3
    shades = " .:-=+*#%@"
    for y in range(rows):
        line = ""
        for x in range(cols):
            cr = -2.2 + 3.2 * x / cols
            ci = -1.2 + 2.4 * y / rows
            n = escape_time(cr, ci, 200)
            line += shades[min(n, 9)] if n < 200 else "@"
        print(line)


if __name__ == "__main__":
    render(int(sys.argv[1]) if len(sys.argv) > 1 else 24)
