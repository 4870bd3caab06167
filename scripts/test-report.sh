#!/usr/bin/env bash
# The test report (docs/en/test-report.md and docs/ru/test-report.md) from
# a real run: every suite of `cargo test --workspace` on this checkout, with
# the API suite on PostgreSQL and the cluster test on PostgreSQL + NATS when
# those answer (as in CI), each test's result kept. The report names the
# commit, the date, the machine, the counts per suite, the result of each
# acceptance step's automated check (the tests docs/en/acceptance-program.md
# names for it) and the performance figures with the commands that made
# them (from docs/en/performance.md; the load runs take too long to repeat
# here: the report says when they were measured).
#
#   scripts/test-report.sh            # about 10-15 minutes on 2 cores
#
# Exits non-zero when a test failed; the report is written either way.
set -uo pipefail
cd "$(dirname "$0")/.."

log=target/test-report.log
mkdir -p target
export MESSENGER_TEST_POSTGRES_URL="${MESSENGER_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}"
export MESSENGER_TEST_NATS_URL="${MESSENGER_TEST_NATS_URL:-nats://127.0.0.1:4222}"
answers() {
  local hostport=${1#*://}
  hostport=${hostport#*@}
  hostport=${hostport%%/*}
  timeout 5 bash -c "exec 3<>/dev/tcp/${hostport%:*}/${hostport##*:}" 2>/dev/null
}
services="SQLite only"
if answers "$MESSENGER_TEST_POSTGRES_URL" && answers "$MESSENGER_TEST_NATS_URL" && command -v nats-server >/dev/null; then
  services="SQLite, PostgreSQL ($MESSENGER_TEST_POSTGRES_URL), NATS ($MESSENGER_TEST_NATS_URL)"
else
  unset MESSENGER_TEST_POSTGRES_URL MESSENGER_TEST_NATS_URL
fi

# The documents link to the report, and the documents test checks every
# link: on the very first run the files must exist while the suites run.
# This run's report replaces them either way.
for lang in en ru; do
  [ -f "docs/$lang/test-report.md" ] ||
    printf '# Test report\n\nBeing written by scripts/test-report.sh.\n' >"docs/$lang/test-report.md"
done

started=$(date +%s)
cargo test --workspace --no-fail-fast 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
seconds=$(($(date +%s) - started))

SERVICES="$services" SECONDS_TAKEN="$seconds" STATUS="$status" python3 - "$log" <<'PY'
import os, re, subprocess, sys, datetime

log = open(sys.argv[1], encoding="utf-8", errors="replace").read().splitlines()

def sh(*cmd):
    return subprocess.run(cmd, capture_output=True, text=True).stdout.strip()

commit = sh("git", "rev-parse", "--short=12", "HEAD")
subject = sh("git", "log", "-1", "--format=%s")
dirty = sh("git", "status", "--porcelain", "--untracked-files=no")
date = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
cores = os.cpu_count()
mem_gib = int(next(l.split()[1] for l in open("/proc/meminfo") if l.startswith("MemTotal"))) / 1024 / 1024
system = sh("uname", "-sr")
distro = next((l.split("=", 1)[1].strip().strip('"') for l in open("/etc/os-release") if l.startswith("PRETTY_NAME=")), "")
rustc = sh("rustc", "--version")

# Suites: "Running <source> (target/debug/deps/<binary>-<hash>)" and
# "Doc-tests <crate>", each closed by its "test result:" line.
suites, results, current = [], {}, None
running = re.compile(r"^\s*Running (unittests )?(\S+) \(.*?deps/([A-Za-z0-9_-]+)-[0-9a-f]+\)")
doc = re.compile(r"^\s*Doc-tests (\S+)")
summary = re.compile(r"test result: (\w+)\. (\d+) passed; (\d+) failed; (\d+) ignored")
one = re.compile(r"^test (\S+) \.\.\. (ok|FAILED|ignored)")
for line in log:
    if m := running.match(line):
        kind = "unit tests, " if m.group(1) else ""
        current = f"{m.group(3)} ({kind}{m.group(2)})"
    elif m := doc.match(line):
        current = f"{m.group(1)} (doc-tests)"
    elif (m := summary.search(line)) and current:
        suites.append((current, int(m.group(2)), int(m.group(3)), int(m.group(4))))
        current = None
    elif m := one.match(line):
        name = m.group(1).rsplit("::", 1)[-1]
        # A name run by several suites (SQLite and PostgreSQL) fails if any run failed.
        if results.get(name) != "FAILED":
            results[name] = m.group(2)

passed = sum(s[1] for s in suites)
failed = sum(s[2] for s in suites)
ignored = sum(s[3] for s in suites)

# Acceptance steps: "### A-NN …" headings, each followed by a line naming
# its automated check(s) in code spans after "Automated check"/"Автоматическая проверка".
def steps(path):
    found, step = [], None
    for line in open(path, encoding="utf-8"):
        if m := re.match(r"^### (A-\d+)\.? (.*)", line):
            step = [m.group(1), m.group(2).strip(), []]
            found.append(step)
        elif step and re.match(r"^\*\*(Automated check|Автоматическая проверка)", line):
            step[2] = re.findall(r"`([a-z0-9_]+)`", line)
    return found

def verdict(tests):
    states = [results.get(t, "not run") for t in tests]
    if not tests:
        return None
    if all(s == "ok" for s in states):
        return "ok"
    return ", ".join(f"{t}: {s}" for t, s in zip(tests, states) if s != "ok")

# Performance: the first table of the figures chapter of each language's
# performance document, as it stands.
def figures(lang):
    heading = "## Figures" if lang == "en" else "## Показатели"
    perf = open(f"docs/{lang}/performance.md", encoding="utf-8").read()
    table = []
    for line in perf[perf.index(heading):].splitlines()[1:]:
        if line.startswith("|"):
            table.append(line)
        elif table:
            break
    return table

def ru_cores(n):
    """«ядро», «ядра», «ядер»: the Russian plural for a count of cores."""
    if n % 10 == 1 and n % 100 != 11:
        return "ядро"
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return "ядра"
    return "ядер"

def write(lang):
    en = lang == "en"
    out = []
    t = (lambda a, b: a if en else b)
    out.append(t("# Test report", "# Отчёт о тестировании"))
    out.append("")
    other = "ru" if en else "en"
    out.append(t(f"*Русская версия: [../ru/test-report.md](../ru/test-report.md).*",
                 f"*English version: [../en/test-report.md](../en/test-report.md).*"))
    out.append("")
    out.append(t("Written by `scripts/test-report.sh` from the run below; do not edit by hand.",
                 "Создан скриптом `scripts/test-report.sh` по результатам прогона ниже; вручную не редактируется."))
    out.append("")
    out.append(t("## The run", "## Прогон"))
    out.append("")
    rows = [
        (t("commit", "коммит"), f"`{commit}` {subject}" + (t(" (with uncommitted changes)", " (с незафиксированными изменениями)") if dirty else "")),
        (t("date", "дата"), date),
        (t("machine", "машина"), f"{cpu}, {cores} {t('cores', ru_cores(cores))}, {mem_gib:.0f} {t('GiB', 'ГиБ')}, {system}, {distro}"),
        (t("toolchain", "инструменты"), rustc),
        (t("command", "команда"), "`cargo test --workspace --no-fail-fast`"),
        (t("databases and services", "базы данных и службы"), os.environ["SERVICES"]),
        (t("time", "время"), f"{int(os.environ['SECONDS_TAKEN']) // 60} {t('min', 'мин')} {int(os.environ['SECONDS_TAKEN']) % 60} {t('s', 'с')}"),
        (t("result", "итог"), (t("**all passed**", "**все тесты пройдены**") if failed == 0 and os.environ["STATUS"] == "0"
                                else t(f"**{failed} failed**", f"**не пройдено: {failed}**"))),
    ]
    out.append(t("| | |", "| | |"))
    out.append("|---|---|")
    out += [f"| {a} | {b} |" for a, b in rows]
    out.append("")
    out.append(t("## Suites", "## Наборы тестов"))
    out.append("")
    out.append(t("| suite (binary and source) | passed | failed | ignored |",
                 "| набор (программа и исходный файл) | пройдено | не пройдено | пропущено |"))
    out.append("|---|---:|---:|---:|")
    for name, p, f, i in suites:
        if p or f or i:
            out.append(f"| {name} | {p} | {f} | {i} |")
    out.append(f"| **{t('total', 'всего')}** | **{passed}** | **{failed}** | **{ignored}** |")
    out.append("")
    out.append(t("Suites that hold no tests in this build (doc-tests without examples, binaries) are left out. "
                 "The [test plan](test-plan.md) says what each suite covers.",
                 "Наборы без тестов в этой сборке (doc-тесты без примеров, программы) не показаны. "
                 "Что проверяет каждый набор, сказано в [плане тестирования](test-plan.md)."))
    out.append("")
    out.append(t("## Acceptance programme: the automated checks", "## Программа испытаний: автоматические проверки"))
    out.append("")
    out.append(t("Each step of the [acceptance programme](acceptance-program.md) is done by hand on two PCs; "
                 "each also names the automated tests that do the same end to end. Their results in this run:",
                 "Каждый шаг [программы испытаний](acceptance-program.md) выполняется вручную на двух компьютерах; "
                 "для каждого названы автоматические тесты, которые проделывают то же самое от начала до конца. "
                 "Их результаты в этом прогоне:"))
    out.append("")
    out.append(t("| step | automated check |", "| шаг | автоматическая проверка |"))
    out.append("|---|---|")
    for sid, title, tests in steps(f"docs/{lang}/acceptance-program.md"):
        v = verdict(tests)
        shown = t("passed", "пройдена") if v == "ok" else (t("none (by hand only)", "нет (только вручную)") if v is None else f"**{v}**")
        out.append(f"| {sid} {title} | {shown} |")
    out.append("")
    out.append(t("## Performance", "## Производительность"))
    out.append("")
    out.append(t("The load figures are not repeated by this script (each scenario takes minutes and a release build). "
                 "These are the figures of [performance.md](performance.md) as they stand on this commit, with the "
                 "dates they were measured on; the commands that made them are in its chapter \"How to run\":",
                 "Нагрузочные измерения этот скрипт не повторяет (каждый сценарий занимает минуты и требует "
                 "release-сборки). Ниже — показатели из [документа о производительности](performance.md) на этом "
                 "коммите с датами измерений; команды, которыми они получены, — там же."))
    out.append("")
    out += figures(lang)
    out.append("")
    open(f"docs/{lang}/test-report.md", "w", encoding="utf-8").write("\n".join(out))

write("en")
write("ru")
print(f"test report: {passed} passed, {failed} failed, {ignored} ignored -> docs/en/test-report.md, docs/ru/test-report.md")
PY
exit "$status"
