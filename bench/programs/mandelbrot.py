"""Mandelbrot: count the points of a size x size grid that stay bounded for 50 iterations."""
import sys


def mandelbrot(size: int, limit: int) -> int:
    inside = 0
    for y in range(size):
        ci = 2.0 * y / size - 1.0
        for x in range(size):
            cr = 2.0 * x / size - 1.5
            zr = 0.0
            zi = 0.0
            escaped = False
            for _ in range(limit):
                tr = zr * zr - zi * zi + cr
                ti = 2.0 * zr * zi + ci
                zr = tr
                zi = ti
                if zr * zr + zi * zi > 4.0:
                    escaped = True
                    break
            if not escaped:
                inside += 1
    return inside


size = int(sys.argv[1]) if len(sys.argv) > 1 else 400
print(mandelbrot(size, 50))
