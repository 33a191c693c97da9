"""What each CTranslate2 setting of ``mt_speed.py`` does to the output, on a tiny model.

Random weights cannot tell a good translation from a bad one, but they can
count how many outputs a setting changes: this builds a tiny NLLB model with
unit-variance random weights (``tests/tinymodels.py``, as the vocabulary-map
tests do), converts it to int8, translates the first 200 FLORES-200 dev
English sentences with the engine at beam 4 under each setting (each in its
own process, so that CTranslate2's environment is the setting's own), and
counts the outputs that differ from the unrestricted int8 run.

    python benchmarks/mt_changes.py [--sentences 200] [--work DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
FLORES = ROOT.parent / "shared" / "data" / "flores200-dev" / "eng_Latn.dev"

#: name -> (DecodingConfig fields, environment)
VARIANTS: dict[str, tuple[dict[str, object], dict[str, str]]] = {
    "int8 (reference)": ({"restrict_vocabulary": False}, {}),
    "int8 + map, batches of 32 (default)": ({"restrict_vocabulary": True}, {}),
    "int8 + map, batches of 16": ({"restrict_vocabulary": True, "max_batch_size": 16}, {}),
    "int8 + map, batches of 24": ({"restrict_vocabulary": True, "max_batch_size": 24}, {}),
    "int8 + map, batches of 64": ({"restrict_vocabulary": True, "max_batch_size": 64}, {}),
    "int8, batches of 16": ({"restrict_vocabulary": False, "max_batch_size": 16}, {}),
    "int8, batches of 64": ({"restrict_vocabulary": False, "max_batch_size": 64}, {}),
    "int8, oneDNN (CT2_USE_MKL=0)": ({"restrict_vocabulary": False}, {"CT2_USE_MKL": "0"}),
    "int8 + map, oneDNN": ({"restrict_vocabulary": True}, {"CT2_USE_MKL": "0"}),
}


def build(work: Path) -> Path:
    sys.path.insert(0, str(ROOT / "tests"))
    from tinymodels import build_nllb, redraw_weights

    folder = work / "tiny-nllb"
    if (folder / "config.json").is_file():
        return folder
    return redraw_weights(build_nllb(folder))


def worker(folder: Path, settings: dict[str, object], count: int) -> None:
    sys.path.insert(0, str(ROOT))
    from translate.languages import language
    from translate.mt.backends.ctranslate2 import CTranslate2Engine
    from translate.mt.convert import convert
    from translate.mt.decoding import DecodingConfig
    from translate.mt.models import ResolvedModel

    model = ResolvedModel(name="tiny-nllb-chaotic", path=folder, family="nllb", revision="local-tiny", license="unknown")
    convert(model, quantization="int8")
    sentences = FLORES.read_text(encoding="utf-8").splitlines()[:count]
    engine = CTranslate2Engine(model, DecodingConfig(beam_size=4, compute_type="int8", threads=2, retry=False, **settings))  # type: ignore[arg-type]
    print(json.dumps([t.text for t in engine.translate(sentences, language("en"), language("km"))]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sentences", type=int, default=200)
    parser.add_argument("--work", type=Path)
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="mt-changes-"))
    folder = build(work)
    env = {k: v for k, v in os.environ.items() if k != "CT2_USE_MKL"}
    env["TRANSLATE_MODELS"] = str(work / "models")
    outputs: dict[str, list[str]] = {}
    for name, (settings, extra) in VARIANTS.items():
        done = subprocess.run([sys.executable, __file__, "--worker", str(folder), json.dumps(settings), str(args.sentences)],
                              capture_output=True, text=True, env={**env, **extra}, check=False)
        if done.returncode != 0:
            print(f"{name}: failed: {done.stderr.strip().splitlines()[-1:]}")
            continue
        outputs[name] = json.loads(done.stdout.strip().splitlines()[-1])
    reference = outputs.get("int8 (reference)")
    print(f"{args.sentences} FLORES-200 dev sentences, tiny NLLB model (random unit-variance weights), beam 4, outputs changed against the unrestricted int8 run:")
    for name, texts in outputs.items():
        if reference is not None:
            print(f"  {name:40} {sum(a != b for a, b in zip(texts, reference, strict=True)):4d} / {len(texts)}")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--worker"]:
        worker(Path(sys.argv[2]), json.loads(sys.argv[3]), int(sys.argv[4]))
    else:
        main()
