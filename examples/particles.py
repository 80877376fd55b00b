"""Particles in a box: a dataclass, a class with methods, a generator and an exception class.

    pyrsc run examples/particles.py -- 2000      (or: python3 examples/particles.py 2000)
"""
import math
import sys
from dataclasses import dataclass
from typing import Iterator


class UnstableError(Exception):
    def __init__(self, step: int) -> None:
        super().__init__(f"energy blew up at step {step}")
        self.step = step


@dataclass
class Particle:
    x: float
    y: float
    vx: float
    vy: float

    def speed(self) -> float:
        return math.hypot(self.vx, self.vy)


class Box:
    def __init__(self, size: float, count: int) -> None:
        self.size = size
        self.particles: list[Particle] = []
        seed = 42
        for _ in range(count):
            seed = (seed * 1103515245 + 12345) % 2147483648
            a = seed / 2147483648.0
            seed = (seed * 1103515245 + 12345) % 2147483648
            b = seed / 2147483648.0
            self.particles.append(Particle(a * size, b * size, math.cos(6.283 * a), math.sin(6.283 * b)))

    def step(self, dt: float) -> None:
        for p in self.particles:
            p.x += p.vx * dt
            p.y += p.vy * dt
            if p.x < 0.0 or p.x > self.size:
                p.vx = -p.vx
            if p.y < 0.0 or p.y > self.size:
                p.vy = -p.vy

    def energy(self) -> float:
        return sum(0.5 * p.speed() ** 2 for p in self.particles)

    def run(self, steps: int, dt: float) -> Iterator[float]:
        start = self.energy()
        for k in range(steps):
            self.step(dt)
            e = self.energy()
            if abs(e - start) > 1e-6 * start:
                raise UnstableError(k)
            if k % (steps // 4) == 0:
                yield e


def main(steps: int) -> None:
    box = Box(10.0, 500)
    for e in box.run(steps, 0.01):
        print(f"energy {e:.6f}")
    fastest = max(box.particles, key=lambda p: p.speed())
    print("fastest", fastest)


main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
