"""Chaos run (not a test): random SIGKILLs, two writers at once and a full disk against the real CLI.

Generates a corpus of N short fi/sv documents (some republished copies, so duplicate links matter),
builds a clean reference index, then:

1. indexes the first half, and SIGKILLs ``hakemisto ingest`` / ``hakemisto nightly --no-crawl`` runs
   over the whole corpus at random moments (``--kills`` times, alternating). After each kill the
   index must open with either the old or the new content, and no spaCy worker may outlive its
   parent. A final uninterrupted nightly run must then give the same index as the clean ingest;
2. starts two ingests at once: without ``--wait`` one exits 3; with ``--wait`` both finish and
   the index equals the clean one;
3. when allowed (root), mounts a small tmpfs, copies the index onto it, fills it, and ingests more:
   one ``Error:`` line, the index unchanged, no temporary files left.

Prints one line. Example:
  .venv/bin/python scripts/chaos.py                 # 500 documents, 20 kills
  .venv/bin/python scripts/chaos.py --docs 200 --kills 6 --seed 7
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from hakemisto.core.children import child_pids, is_alive

ROOT = Path(__file__).resolve().parent.parent

FI = [
    "{region} hyvinvointialue sai sosiaali- ja terveysministeriöltä {amount} euroa {topic} kehittämiseen.",
    "Rahoitus tulee Suomen kestävän kasvun ohjelmasta vuosille 2024–2025.",
    "Hankkeessa kehitetään sähköistä asiointia ja puretaan hoitojonoja yhdessä kuntien kanssa.",
    "Projektipäällikkö {name} kertoo, että työ etenee suunnitelman mukaan ja asukkaat ovat mukana.",
    "Lisätietoja antaa {name}, puhelin 040 {phone}, etunimi.sukunimi@example.fi.",
    "Hankkeen tulokset esitellään avoimessa tilaisuudessa syksyllä, ja materiaalit julkaistaan verkossa.",
]
SV = [
    "Välfärdsområdet i {region_sv} har fått {amount} euro av social- och hälsovårdsministeriet för {topic_sv}.",
    "Finansieringen kommer från programmet för hållbar tillväxt för åren 2024–2025.",
    "I projektet utvecklas digitala tjänster och vårdköerna avvecklas tillsammans med kommunerna.",
    "Projektledare {name} berättar att arbetet framskrider enligt planen och att invånarna deltar.",
    "Mer information ger {name}, telefon 040 {phone}.",
]
REGIONS = [("Keski-Pohjanmaan", "Mellersta Österbotten"), ("Pohjanmaan", "Österbotten"),
           ("Kainuun", "Kajanaland"), ("Lapin", "Lappland"), ("Päijät-Hämeen", "Päijänne-Tavastland")]
TOPICS = [("hoitotakuun", "vårdgarantin"), ("päivystyksen", "jouren"), ("kotihoidon", "hemvården"),
          ("mielenterveyspalvelujen", "mentalvårdstjänsterna")]
NAMES = ["Maija Virtanen", "Juha Korhonen", "Anna Nieminen", "Mikko Mäkinen", "Liisa Hämäläinen"]


def make_corpus(folder: Path, n: int, rng: random.Random) -> list[Path]:
    """``n`` short documents; every 20th is a republished copy of an earlier one."""
    folder.mkdir(parents=True)
    files: list[Path] = []
    texts: list[str] = []
    for i in range(n):
        if i % 20 == 19 and texts:
            text = texts[rng.randrange(len(texts))]
        else:
            (region, region_sv), (topic, topic_sv) = rng.choice(REGIONS), rng.choice(TOPICS)
            fields = dict(region=region, region_sv=region_sv, topic=topic, topic_sv=topic_sv, name=rng.choice(NAMES),
                          amount=f"{rng.randint(1, 900) * 1000:,}".replace(",", " "), phone=f"{rng.randint(0, 9999999):07d}")
            lines = SV if i % 5 == 4 else FI
            title = f"{'Projekt' if lines is SV else 'Hanke'} {i}: {topic_sv if lines is SV else topic}"
            body = " ".join(line.format(**fields) for line in lines)
            text = f"{title}\n{body} {body}\nJulkaistu {1 + i % 28}.{1 + i % 12}.2024"
            texts.append(text)
        path = folder / f"doc{i:04d}.txt"
        path.write_text(text, encoding="utf-8")
        files.append(path)
    return files


def env_for(corpus: Path, index: Path, runs: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HAKEMISTO_")}
    env.update(HAKEMISTO_CONFIG=str(index.parent / "no-config.toml"), HAKEMISTO_CORPUS_DIR=str(corpus),
               HAKEMISTO_INDEX_DIR=str(index), HAKEMISTO_REPORT_DIR=str(runs), HAKEMISTO_N_PROCESS="2",
               HAKEMISTO_BATCH_SIZE="8", HAKEMISTO_GRACE_DAYS="0")
    return env


def cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "hakemisto", *args]


def snapshot(index: Path) -> dict[str, tuple] | None:
    """What matters of every stored document (None: the index does not open)."""
    from hakemisto.core.config import load_settings
    from hakemisto.search import index as idx

    try:
        docs = idx.iter_documents(load_settings(index_dir=index))
        return {d.id: (d.content_hash, d.lang, d.region, d.twin, d.duplicates,
                       json.dumps(d.facts.to_dict() if d.facts else None, sort_keys=True, default=str))
                for d in docs}
    except Exception:  # noqa: BLE001 - a broken index is the finding
        return None


def kills(args: argparse.Namespace, work: Path, corpus: Path, first_half: Path, rng: random.Random,
          clean: dict, half: dict) -> tuple[int, int, int]:
    """(kills survived, orphans left, indexes differing from the clean one)."""
    index, runs = work / "index", work / "runs"
    env = env_for(corpus, index, runs)
    subprocess.run(cli("ingest", str(first_half), "--quiet"), env=env_for(first_half, index, runs), check=True,
                   capture_output=True)
    survived = orphans = 0
    for n in range(args.kills):
        command = cli("ingest", str(corpus), "--quiet") if n % 2 == 0 else cli("nightly", "--no-crawl", "--quiet")
        proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + rng.uniform(args.min_delay, args.max_delay)
        workers: set[int] = set()
        while time.monotonic() < deadline and proc.poll() is None:
            workers |= {c for c in child_pids(proc.pid) if is_alive(c)}
            time.sleep(0.1)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        end = time.monotonic() + 15
        while any(is_alive(w) for w in workers) and time.monotonic() < end:
            time.sleep(0.2)
        left = [w for w in workers if is_alive(w)]
        orphans += len(left)
        for w in left:
            os.kill(w, signal.SIGKILL)
        state = snapshot(index)
        if state is not None and (state == half or state == clean or set(state) == set(clean)):
            survived += 1
    final = subprocess.run(cli("nightly", "--no-crawl", "--quiet"), env=env, capture_output=True, text=True)
    differing = int(final.returncode not in (0, 1) or snapshot(index) != clean)
    return survived, orphans, differing


def concurrent(work: Path, halves: tuple[Path, Path], clean: dict) -> tuple[str, int]:
    """Two writers at once, without and with --wait; (summary, indexes differing from the clean one)."""
    index = work / "index2"

    def start(folder: Path, *extra: str) -> subprocess.Popen:
        env = env_for(folder, index, work / "runs2")  # ids relative to the half: the same as in the whole
        return subprocess.Popen(cli("ingest", str(folder), "--quiet", *extra), env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    racing = [start(h) for h in halves]
    codes = sorted(p.wait() for p in racing)
    refused = codes.count(3)
    waiting = [start(h, "--wait", "900") for h in halves]
    waited = sum(p.wait() == 0 for p in waiting)
    differing = int(snapshot(index) != clean)
    return (f"{refused} of 2 racing writers refused with exit 3 (exits {codes}), "
            f"{waited} of 2 writers with --wait finished"), differing


def full_disk(work: Path, corpus: Path, clean_index: Path, rng: random.Random) -> str:
    """A full small tmpfs under the index; the summary (or why it was skipped)."""
    disk = work / "disk"
    disk.mkdir()
    size = sum(p.stat().st_size for p in clean_index.rglob("*") if p.is_file()) + 3_000_000
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(disk)],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        return f"full disk skipped ({mounted.stderr.strip() or 'mount not permitted'})"
    try:
        index = disk / "index"
        shutil.copytree(clean_index, index, ignore=shutil.ignore_patterns("runs"))
        before = snapshot(index)
        files = sorted(p.name for p in index.iterdir() if not p.name.endswith(("-wal", "-shm")))
        extra = work / "extra"
        make_corpus(extra, 120, rng)
        stat = os.statvfs(disk)
        with open(disk / "filler", "wb") as handle:
            left = stat.f_bavail * stat.f_frsize - 32 * 1024
            while left > 0:
                left -= handle.write(b"\0" * min(left, 1 << 20))
        result = subprocess.run(cli("ingest", str(extra), "--quiet"), env=env_for(corpus, index, work / "runs3"),
                                capture_output=True, text=True)
        lines = result.stderr.strip().splitlines()
        # SQLite's own journal files of the model cache (-wal, -shm) are not leftovers: SQLite replays or
        # drops them when the cache is next opened.
        after = sorted(p.name for p in index.iterdir() if not p.name.endswith(("-wal", "-shm")))
        problems = [what for what, bad in (
            ("not one Error: line", not (result.returncode == 1 and len(lines) == 1 and lines[0].startswith("Error: ")
                                         and "Traceback" not in result.stderr)),
            ("index changed", snapshot(index) != before),
            (f"leftovers {sorted(set(after) ^ set(files))}", after != files),
        ) if bad]
        return "full disk ok (one Error: line, index unchanged, no leftovers)" if not problems else (
            f"full disk FAILED ({'; '.join(problems)}; exit {result.returncode}: {result.stderr.strip()[-300:]})")
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=500)
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--min-delay", type=float, default=2.0, help="earliest kill, seconds after the start")
    parser.add_argument("--max-delay", type=float, default=25.0, help="latest kill, seconds after the start")
    parser.add_argument("--seed", type=int, default=15)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    started = time.monotonic()
    work = Path(tempfile.mkdtemp(prefix="hakemisto-chaos-"))
    try:
        corpus = work / "corpus"
        files = make_corpus(corpus, args.docs, rng)
        halves = (work / "half1", work / "half2")
        for n, folder in enumerate(halves):
            folder.mkdir()
            for f in files[n::2]:
                os.link(f, folder / f.name)
        first = work / "first"
        first.mkdir()
        for f in files[: args.docs // 2]:
            os.link(f, first / f.name)
        # Ids are relative to the corpus directory: each subset is ingested with itself as the corpus
        # directory, so its documents get the same ids as in the whole corpus.
        clean_index = work / "clean"
        for folder, target in ((corpus, clean_index), (first, work / "half-index")):
            env = env_for(folder, target, work / "runs0")
            subprocess.run(cli("ingest", str(folder), "--quiet"), env=env, check=True, capture_output=True)
        clean, half = snapshot(clean_index), snapshot(work / "half-index")
        assert clean and half is not None
        survived, orphans, differing = kills(args, work, corpus, first, rng, clean, half)
        writers, differing2 = concurrent(work, halves, clean)
        disk = full_disk(work, corpus, clean_index, rng)
        print(
            f"chaos: {args.docs} documents; kills survived {survived}/{args.kills}; orphans left {orphans}; "
            f"indexes differing from a clean ingest {differing + differing2}; {writers}; {disk}; "
            f"{time.monotonic() - started:.0f} s"
        )
        return 0 if survived == args.kills and orphans == 0 and differing + differing2 == 0 else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
