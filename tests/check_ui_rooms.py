#!/usr/bin/env python3
"""The ui/ folder's rooms and who may include whom (README, "How the code is laid out").

  shell/ (tabs, settings and URL, the panels' views, commands by name) and testing/
  (self-test, state report) sit on top and may include anything;
  gates/ loss_lab/ network_lab/ mnist/ one_step/ are the panels: each includes its own
  folder, widgets/, training/, the engine and ImGui, never another panel, shell/ or testing/;
  widgets/ and training/ are the low level: they include each other, the engine and
  ImGui, never a panel, shell/ or testing/ (and so never the app's public header).
Exits 1 listing every include that breaks a rule."""
import os
import re
import sys

PANELS = {"gates", "loss_lab", "network_lab", "mnist", "one_step"}
LOW = {"widgets", "training"}
TOP = {"shell", "testing"}


def allowed(room, target):
    if room in TOP:
        return True
    if room in PANELS:
        return target == room or target in LOW
    if room in LOW:
        return target in LOW
    return False


def main(ui_dir):
    problems = []
    rooms = sorted(d for d in os.listdir(ui_dir) if os.path.isdir(os.path.join(ui_dir, d)))
    unknown = [r for r in rooms if r not in PANELS | LOW | TOP]
    if unknown:
        problems.append(f"ui/: folders of no known room: {', '.join(unknown)}")
    loose = [f for f in os.listdir(ui_dir) if f.endswith((".cpp", ".h"))]
    if loose:
        problems.append(f"ui/: sources outside the rooms: {', '.join(sorted(loose))}")
    for room in rooms:
        for name in sorted(os.listdir(os.path.join(ui_dir, room))):
            if not name.endswith((".cpp", ".h")):
                continue
            path = os.path.join(ui_dir, room, name)
            with open(path, encoding="utf-8") as f:
                for n, line in enumerate(f, 1):
                    m = re.match(r'\s*#\s*include\s+"([a-z_]+)/[^"]+"', line)
                    if not m or m.group(1) == "nnplay":
                        continue
                    target = m.group(1)
                    if target not in PANELS | LOW | TOP:
                        problems.append(f"ui/{room}/{name}:{n}: includes an unknown folder: {line.strip()}")
                    elif not allowed(room, target):
                        problems.append(f"ui/{room}/{name}:{n}: {room}/ may not include {target}/: {line.strip()}")
    for p in problems:
        print(p)
    print(f"ui rooms: {len(problems)} problem(s) in {len(rooms)} folders")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "ui")))
