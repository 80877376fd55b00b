"""Row-parallel kernel: each prange iteration computes one row of a blurred image into its own
slots of a flat output list (`out[r * w + c]`)."""
import sys

from pyrsc import prange


def blur(image: list[float], h: int, w: int) -> list[float]:
    out = [0.0] * (h * w)
    for r in prange(h):
        for c in range(w):
            acc = 0.0
            for dr in range(-3, 4):
                rr = min(max(r + dr, 0), h - 1)
                for dc in range(-3, 4):
                    cc = min(max(c + dc, 0), w - 1)
                    acc += image[rr * w + cc]
            out[r * w + c] = acc / 49.0
    return out


def make_image(h: int, w: int) -> list[float]:
    image = [0.0] * (h * w)
    for r in prange(h):
        for c in range(w):
            image[r * w + c] = float(((r * w + c) * 7919) % 255)
    return image


size = int(sys.argv[1]) if len(sys.argv) > 1 else 300
image = make_image(size, size)
result = blur(image, size, size)
print(f"{sum(result):.6f} {result[0]:.6f} {result[-1]:.6f}")
