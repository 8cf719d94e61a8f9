#!/usr/bin/env bash
# Makes every picture in docs/screenshots from scratch: the README's desktop shots (1440 x 900),
# the meeting-room shots (presenter mode, zoom 1.3, 1280 x 720 and 1920 x 1080, light and dark),
# and the pictures of the client deliverables (SVG slides, the HTML report's charts, the Excel
# workbook).
#
#   scripts/screenshots.sh PATH/TO/demarc [OUTPUT_FOLDER]     (default: docs/screenshots)
#
# Needs: Xvfb, xdotool, ImageMagick (import, convert), rsvg-convert; for workbook-matrix.png
# LibreOffice (soffice) and pdftoppm. Nothing outside the repository is read: the evidence is
# tests/fixtures/samples/acme-retail (a fictional account, 314159265358), and every window runs
# with its own X display and its own empty HOME under a temporary folder, so no setting, recent
# file or autosave of the person running the script is seen or touched.
#
# The app is driven the way a person would: settings written before start (theme, zoom, columns,
# sidebar), files given on the command line (`demarc gui ENGAGEMENT EVIDENCE...`), then keys:
# Ctrl+K (command palette: type an action's name, Enter), F5 (presenter mode), Tab/Space/Esc
# for the two controls that have no key ("Only changed rows" in Compare, "Group by: Service" in
# the checklist): the number of Tabs is counted for this version's layout (see `press_tab`);
# if the layout changes, check those pictures. The pointer is parked on the "demarc" label so no
# tooltip shows. Waits are fixed
# sleeps (SETTLE, IMPORT_WAIT: raise them on a slow machine); information notifications expire
# after six seconds and are waited out, so no local path is in a picture. ONLY_FILES=1 skips
# the windows and makes only the deliverable pictures.
set -euo pipefail

if [[ $# -lt 1 || $# -gt 2 ]]; then
    echo "usage: $0 PATH/TO/demarc [OUTPUT_FOLDER]" >&2
    exit 2
fi
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BIN=$(realpath "$1")
OUT=${2:-$REPO/docs/screenshots}
mkdir -p "$OUT"
OUT=$(realpath "$OUT")
[[ -x $BIN ]] || { echo "$0: not an executable: $BIN" >&2; exit 2; }
for tool in Xvfb xdpyinfo xdotool import convert rsvg-convert; do
    command -v "$tool" >/dev/null || { echo "$0: $tool is missing" >&2; exit 2; }
done

SAMPLE=$REPO/tests/fixtures/samples/acme-retail
# The CLI collection holds the account's Security Hub findings too
# (cli/securityhub_get-findings.json): importing the folder reads them as their own source.
EVIDENCE=("$SAMPLE/cli" "$SAMPLE/config-snapshot.json")
SETTLE=${SETTLE:-2}            # seconds after a key for the frame to settle
IMPORT_WAIT=${IMPORT_WAIT:-9}  # seconds for an import to finish and its notification to expire
DATE=2026-12-01                # the engagement's date, fixed so the pictures do not change daily

WORK=$(mktemp -d "${TMPDIR:-/tmp}/demarc-shots.XXXXXX")
XVFB_PID=
APP_PID=
cleanup() {
    [[ -n $APP_PID ]] && kill "$APP_PID" 2>/dev/null || true
    [[ -n $XVFB_PID ]] && kill "$XVFB_PID" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

# Each window gets its own display number, never one used before in this run, nor one another
# X server holds.
NEXT_DISPLAY=90
next_display() {
    while [[ -e /tmp/.X11-unix/X$NEXT_DISPLAY || -e /tmp/.X$NEXT_DISPLAY-lock ]]; do
        NEXT_DISPLAY=$((NEXT_DISPLAY + 1))
    done
    N=$NEXT_DISPLAY
    NEXT_DISPLAY=$((NEXT_DISPLAY + 1))
}

# The engagement of the meeting: client "Acme Retail", EC2, S3 and RDS, three decisions taken
# on EC2 items, two of them on failing checks (IMDSv1 allowed: in progress; public IPs: risk
# accepted), so grouped by service they are all on the first screen. A fresh copy per window,
# so no autosave of an earlier window is found.
ENGAGEMENT_SRC=$WORK/acme-retail.demarc.json
make_engagement() {
    local f=$ENGAGEMENT_SRC
    "$BIN" engagement new "$f" --client "Acme Retail" --services ec2,s3,rds --date "$DATE" 2>/dev/null
    "$BIN" engagement set "$f" --item ec2/IAM-05 --status in_progress --assignee client_platform \
        --due 2027-01-15 --note "IMDSv2 required in every launch template; two instances left" \
        2>/dev/null
    "$BIN" engagement set "$f" --item ec2/NET-03 --status risk_accepted \
        --assignee client_application \
        --note "Web instances keep public IPs until the load balancer migration in Q2" 2>/dev/null
    "$BIN" engagement set "$f" --item ec2/IAM-01 --status done --assignee client_platform \
        --note "Root MFA and the break-glass procedure reviewed with the platform team" 2>/dev/null
}

# settings HOME THEME ZOOM SCOPE [SIDEBAR_COLLAPSED]: the settings demarc reads at start
# (eframe's app.ron; key "demarc-settings" holds the RON of src/state/settings.rs `Settings`).
# SCOPE: the matrix columns, comma-separated. Compare's columns: EC2, ECS on Fargate, Lambda.
settings() {
    local home=$1 theme=$2 zoom=$3 scope=$4 collapsed=${5:-false}
    local list
    list=$(echo "$scope" | sed 's/[^,][^,]*/\\"&\\"/g')
    mkdir -p "$home/.local/share/demarc"
    cat >"$home/.local/share/demarc/app.ron" <<EOF
{
    "demarc-settings": "(scope:[$list],compare:[\\"ec2\\",\\"ecs/fargate\\",\\"lambda\\"],theme:$theme,zoom:$zoom,recent:[],last_engagement:None,unreported:None,sidebar_collapsed:$collapsed)",
}
EOF
}

# start W H THEME ZOOM SCOPE [FILES...]: an X server of W x H, demarc in it with fresh settings,
# the window filling the screen and focused. SIDEBAR_COLLAPSED=true hides the service sidebar.
start() {
    local w=$1 h=$2 theme=$3 zoom=$4 scope=$5
    shift 5
    local n home up=
    next_display
    n=$N
    home=$WORK/home-$n
    mkdir -p "$home"
    settings "$home" "$theme" "$zoom" "$scope" "${SIDEBAR_COLLAPSED:-false}"
    Xvfb ":$n" -screen 0 "${w}x${h}x24" -nolisten tcp -noreset >"$WORK/xvfb-$n.log" 2>&1 &
    XVFB_PID=$!
    export DISPLAY=:$n
    # -noreset: without it the server resets when the probe below disconnects, and a client
    # connecting during the reset is refused.
    for _ in $(seq 100); do
        if xdpyinfo >/dev/null 2>&1; then up=1; break; fi
        sleep 0.1
    done
    [[ -n $up ]] || { echo "$0: Xvfb :$n did not start" >&2; cat "$WORK/xvfb-$n.log" >&2; exit 1; }
    # Its own HOME, nothing of the caller's XDG folders.
    env -u XDG_DATA_HOME -u XDG_CONFIG_HOME -u XDG_CACHE_HOME -u XDG_STATE_HOME \
        -u WAYLAND_DISPLAY HOME="$home" LIBGL_ALWAYS_SOFTWARE=1 \
        "$BIN" gui "$@" >"$WORK/app-$n.log" 2>&1 &
    APP_PID=$!
    local win=
    for _ in $(seq 100); do
        win=$(xdotool search --onlyvisible --pid "$APP_PID" 2>/dev/null | head -1 || true)
        [[ -n $win ]] && break
        sleep 0.2
    done
    [[ -n $win ]] || { echo "$0: no window (see $WORK/app-$n.log)" >&2; cat "$WORK/app-$n.log" >&2; exit 1; }
    xdotool windowmove "$win" 0 0 windowsize "$win" "$w" "$h"
    xdotool windowfocus --sync "$win"
    park
    sleep "$SETTLE"
}

# The pointer on the "demarc" label: no tooltip, no hover highlight. It moves by a pixel first:
# the motion makes a frame, and an expired notification goes only when a frame is drawn.
park() { xdotool mousemove 14 14; sleep 0.2; xdotool mousemove 12 12; }

key() { xdotool key --delay 80 "$@"; sleep "$SETTLE"; }

# The command palette: type NAME (an action, a view, a control id), Enter.
palette() {
    xdotool key ctrl+k
    sleep 0.7
    xdotool type --delay 40 "$1"
    sleep 0.7
    xdotool key Return
    sleep "$SETTLE"
}

# press_tab N: Tab N times (the keyboard focus walks the widgets in the order they are drawn),
# Space presses the focused widget, Esc takes the focus away again (no focus ring in the picture).
press_tab() {
    for _ in $(seq "$1"); do xdotool key Tab; sleep 0.15; done
    key space
    key Escape
}

shot() {
    park
    sleep 0.5
    import -window root "$OUT/$1"
    echo "made $1"
}

stop() {
    kill "$APP_PID" 2>/dev/null || true
    wait "$APP_PID" 2>/dev/null || true
    kill "$XVFB_PID" 2>/dev/null || true
    wait "$XVFB_PID" 2>/dev/null || true
    APP_PID=
    XVFB_PID=
}

# A fresh copy of the meeting's engagement in the window's folder.
engagement_copy() {
    local f=$WORK/engagement-$RANDOM/acme-retail.demarc.json
    mkdir -p "$(dirname "$f")"
    cp "$ENGAGEMENT_SRC" "$f"
    echo "$f"
}

make_engagement
SAVED=$ENGAGEMENT_SRC

# ONLY_FILES=1 makes only the deliverable pictures (no window; the report then has no evidence).
if [[ -z ${ONLY_FILES:-} ]]; then

# ---------------------------------------------------------------------------------------------
# Desktop (1440 x 900, zoom 1, the window as it opens on a laptop)
# ---------------------------------------------------------------------------------------------

# matrix.png: the first thing anyone sees: EC2, S3 and RDS, nothing loaded.
start 1440 900 Light 1.0 ec2,s3,rds
shot matrix.png
stop

# detail.png: the account's evidence loaded, the detail drawer of EC2 IAM-05 (workload
# identity: IMDSv1 allowed on two instances): owner, what AWS does, what the customer does,
# the results per resource, sources, framework ids. Opened by the palette (IAM-05 puts the focus
# ring on the row) and Enter.
start 1440 900 Light 1.0 ec2,s3,rds "${EVIDENCE[@]}"
sleep "$IMPORT_WAIT"
palette "IAM-05"
key Return
shot detail.png
stop

# compare.png: EC2, then ECS on Fargate, then Lambda: the sentences, the owner bars, the arrows.
start 1440 900 Light 1.0 ec2,s3,rds
palette "Compare"
shot compare.png
stop

# dark.png: the dark theme on the matrix of the engagement, with the account's evidence (an
# engagement opens on its checklist: the palette goes back to the matrix).
start 1440 900 Dark 1.0 ec2,s3,rds "$(engagement_copy)" "${EVIDENCE[@]}"
sleep "$IMPORT_WAIT"
palette "Matrix"
shot dark.png
stop

# checklist.png: the engagement's checklist with evidence, grouped by service: EC2's failing
# items first (with two of the three decisions), the selected item's editor below. The sidebar
# is hidden (the checklist does not use it). "Group by: Service" is the 19th widget: the
# toolbar's 10, search, 4 owner chips, Domains, Save, Domain.
# Then Ctrl+S: the engagement is saved with the evidence it now keeps, for the HTML report below.
SAVED=$(engagement_copy)
SIDEBAR_COLLAPSED=true start 1440 900 Light 1.0 ec2,s3,rds "$SAVED" "${EVIDENCE[@]}"
sleep "$IMPORT_WAIT"
palette "Checklist"
press_tab 19
shot checklist.png
key ctrl+s
sleep "$SETTLE"
stop

# evidence.png: the account's evidence on the matrix (no engagement): the sidebar's summary,
# and on the customer's and shared cells red (fails), green (passes), amber (unknown) and grey
# (no evidence) markers; "Customer and shared only" so the rows with markers fill the view.
start 1440 900 Light 1.0 ec2,s3,rds "${EVIDENCE[@]}"
sleep "$IMPORT_WAIT"
palette "Customer and shared only"
shot evidence.png
stop

# ---------------------------------------------------------------------------------------------
# The meeting room: presenter mode (F5), zoom 1.3, a projector's 1280 x 720 and 1920 x 1080,
# light and dark.
# ---------------------------------------------------------------------------------------------
for size in 1280x720 1920x1080; do
    w=${size%x*}
    h=${size#*x}
    for theme in light dark; do
        Theme=$([[ $theme == light ]] && echo Light || echo Dark)

        # presenter: the matrix of five services (EC2, S3, RDS, Lambda, DynamoDB), "Customer and
        # shared only" on: the rows where the client has something to do, from GOV-02 down
        # (without it the first screen is six rows of AWS-only data-centre controls).
        start "$w" "$h" "$Theme" 1.3 ec2,s3,rds,lambda,dynamodb
        key F5
        palette "Customer and shared only"
        shot "presenter-$w-$theme.png"
        stop

        # compare: EC2 then ECS on Fargate then Lambda, "Only changed rows" ticked so the rows
        # whose owner moves are on screen. The checkbox is the 12th widget: the toolbar's 4
        # views, Exit and the theme, the four column pickers, the presets menu.
        start "$w" "$h" "$Theme" 1.3 ec2,s3,rds
        key F5
        palette "Compare"
        press_tab 12
        shot "compare-$w-$theme.png"
        stop

        # findings: the findings board of the engagement with the account's evidence (CLI
        # collection, Security Hub, Config snapshot), failing first, grouped by service.
        start "$w" "$h" "$Theme" 1.3 ec2,s3,rds "$(engagement_copy)" "${EVIDENCE[@]}"
        sleep "$IMPORT_WAIT"
        key F5
        palette "Findings"
        shot "findings-$w-$theme.png"
        stop

        # checklist: the engagement "Acme Retail" (EC2, S3, RDS; three decisions) with the
        # evidence, grouped by service: EC2's failing item first, the selected item's editor
        # below (no notes shown while presenting). "Group by: Service" is the 8th widget: the
        # toolbar's 4 views, Exit and the theme, Domain.
        start "$w" "$h" "$Theme" 1.3 ec2,s3,rds "$(engagement_copy)" "${EVIDENCE[@]}"
        sleep "$IMPORT_WAIT"
        key F5
        palette "Checklist"
        press_tab 8
        shot "checklist-$w-$theme.png"
        stop
    done
done

fi

# ---------------------------------------------------------------------------------------------
# What the client takes away
# ---------------------------------------------------------------------------------------------
cd "$WORK"

# matrix-svg.png, compare-svg.png: the 16:9 slide pictures, 1600 px wide.
"$BIN" matrix --services ec2,s3,rds --format svg -o matrix.svg
rsvg-convert -w 1600 -b white matrix.svg -o "$OUT/matrix-svg.png"
echo "made matrix-svg.png"
"$BIN" compare ec2 ecs/fargate lambda --format svg -o compare.svg
rsvg-convert -w 1600 -b white compare.svg -o "$OUT/compare-svg.png"
echo "made compare-svg.png"

# report-charts.png: the charts of the engagement's HTML report (owner split per service,
# progress per domain, failing findings per service): each inline <svg> cut out of the HTML,
# drawn 960 px wide and stacked. The report is of the engagement saved by the GUI above with
# the account's evidence in it (the CLI cannot put evidence into an engagement).
if ! grep -q '"summaries"' "$SAVED"; then
    echo "$0: the saved engagement holds no evidence: the findings chart will be empty" >&2
fi
"$BIN" checklist --engagement "$SAVED" --format html -o report.html
mkdir -p charts
awk '
    /<svg[ >]/ { n++; out = sprintf("charts/chart-%02d.svg", n) }
    out != "" {
        line = $0
        if (line ~ /<svg[ >]/ && !(line ~ /xmlns=/)) sub(/<svg/, "<svg xmlns=\"http://www.w3.org/2000/svg\"", line)
        print line > out
    }
    /<\/svg>/ { close(out); out = "" }
' report.html
shopt -s nullglob
charts=(charts/chart-*.svg)
if ((${#charts[@]} == 0)); then
    echo "$0: the report has no inline svg chart" >&2
    exit 1
fi
for c in "${charts[@]}"; do
    rsvg-convert -w 960 -b white "$c" -o "${c%.svg}.png"
done
convert charts/chart-*.png -background white -gravity north -splice 0x16 -append \
    -bordercolor white -border 16 "$OUT/report-charts.png"
echo "made report-charts.png (${#charts[@]} charts)"

# workbook-matrix.png: the matrix workbook (xlsx) as LibreOffice prints it: the first page of
# the Matrix sheet (page 1 is the cover sheet: client, catalog, scope), trimmed to the table.
"$BIN" matrix --services ec2,s3,rds --format xlsx -o matrix.xlsx
if command -v soffice >/dev/null && command -v pdftoppm >/dev/null; then
    HOME=$WORK/lo-home soffice --headless --convert-to pdf --outdir "$WORK" matrix.xlsx \
        >lo.log 2>&1 || true
    if [[ -s matrix.pdf ]]; then
        page=1
        if command -v pdftotext >/dev/null; then
            pages=$(pdfinfo matrix.pdf 2>/dev/null | awk '/^Pages:/ { print $2 }')
            for p in $(seq "${pages:-1}"); do
                if pdftotext -f "$p" -l "$p" matrix.pdf - | grep -q 'INF-01'; then page=$p; break; fi
            done
        fi
        pdftoppm -png -r 110 -f "$page" -l "$page" -singlefile matrix.pdf workbook
        convert workbook.png -trim +repage -bordercolor white -border 20 "$OUT/workbook-matrix.png"
        echo "made workbook-matrix.png (page $page of the PDF)"
    else
        echo "$0: LibreOffice did not convert the workbook (see lo.log); workbook-matrix.png kept" >&2
        cat lo.log >&2
    fi
else
    echo "$0: no soffice/pdftoppm: workbook-matrix.png not made" >&2
fi
