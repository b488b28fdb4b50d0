"""Write the synthetic example videos (moving shapes, a scene cut, a static segment, a corrupt file).

Usage: python examples/video/generate_videos.py [OUT_DIR] [--seconds S] [--width W --height H --fps F]
Everything is made locally with PyAV; nothing is downloaded.
"""

from __future__ import annotations

import argparse

from curator_video.synthetic import generate_examples


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", nargs="?", default="data/videos")
    parser.add_argument("--seconds", type=float, default=4.0, help="length of the moving-shapes video")
    parser.add_argument("--width", type=int, default=128)
    parser.add_argument("--height", type=int, default=96)
    parser.add_argument("--fps", type=int, default=24)
    parser.add_argument("--encoder", default="auto", help="auto: libx264, h264, libopenh264, then mpeg4")
    args = parser.parse_args(argv)
    for video in generate_examples(
        args.out_dir, width=args.width, height=args.height, fps=args.fps, seconds=args.seconds, encoder=args.encoder
    ):
        note = "corrupt" if video.corrupt else f"{video.duration_s:.2f} s, {video.num_frames} frames"
        if video.scene_cuts_s:
            note += f", scene cut at {video.scene_cuts_s[0]:.3f} s"
        if video.static_spans_s:
            note += f", static {video.static_spans_s[0][0]:.1f}-{video.static_spans_s[0][1]:.1f} s"
        print(f"{video.path}: {note}")


if __name__ == "__main__":
    main()
