"""The quote check names file, record and problem for every quote that is not verbatim."""

import subprocess
import sys
from pathlib import Path

RECORDS = """\
records:
  - id: project/airport/zhengzhou-xinzheng-phase3
    quote: 适时启动郑州新郑国际机场三期工程及北货运区等配套设施建设
  - id: project/airport/wrong-phase
    quote: 适时启动郑州新郑国际机场四期工程
  - id: city/zhengzhou
    quote: [郑州, {text: 郑州, line: 63}]
  - id: place/across-page-break
    quote: 馆藏文物均居全国前列
"""


def run_check(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "zhongyuan_kg.graph.check", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )


def test_check_reports_each_bad_quote(tmp_path):
    path = tmp_path / "box04-transport.yaml"
    path.write_text(RECORDS, encoding="utf-8")
    result = run_check(path)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert [line.split(": ")[1] for line in lines] == [
        "project/airport/wrong-phase",
        "city/zhengzhou",
        "place/across-page-break",
    ]
    assert all(line.startswith(f"{path}: ") for line in lines)
    assert "quote not in the plan text" in lines[0]
    assert "verbatim up to «适时启动郑州新郑国际机场» (line 319)" in lines[0]
    assert "quote occurs in 49 passages" in lines[1]
    assert "4 quote problem" not in result.stderr and "3 quote problem(s)" in result.stderr


def test_check_passes_verbatim_quotes(tmp_path):
    path = tmp_path / "ok.yaml"
    path.write_text(
        "records:\n  - id: city/zhengzhou\n    quote: {text: 郑州, line: 63}\n", encoding="utf-8"
    )
    result = run_check(path)
    assert (result.returncode, result.stdout) == (0, "")
