# t/lib-apps.sh: helpers for the app index tests, sourced after lib.sh.
#
#   gg_apps <repo> [<rev>]       the index as sorted text lines (stdout)
#   gg_apps_json <repo> [<rev>]  the JSON output, checked to parse
#   gg_app_field <json> <app> <field>
#                                one field of one app of a JSON output
#   gg_touched <push-output>     the apps a verbose push says it touches
#
# gg_apps prints `gitops-guard apps` in its stable text form, sorted.
# With python3, the JSON form is read too and must say the same thing
# line for line, so every expected listing checks both outputs.

gg_apps_py=$GG_TRASH/.apps-json.py
cat >"$gg_apps_py" <<\EOF
import json, sys

def revision(a):
    f, r, p = a["follows"], a["revision"], a["tag_prefix"]
    if f == "head":
        return "HEAD"
    if f == "tag":
        return "refs/tags/" + r
    if f == "commit":
        return (r or "commit") + "(pinned)"
    s = ("semver:" + r) if f == "semver" else r
    return s + (" tagPrefix:" + p if p else "")

def text(a):
    flags = ("auto" if a["auto_sync"] else "manual") + \
        ("+prune" if a["prune"] else "") + \
        ("+heal" if a["self_heal"] else "") + \
        ("+allow-empty" if a["allow_empty"] else "")
    return "\t".join([
        a["name"],
        "flux" if a["controller"] == "Flux" else "argocd",
        a["origin"],
        a["root"] or ".",
        a["tool"],
        revision(a),
        flags,
        a["project"] or "-",
        a["environment"] or "-",
        "cascade" if a["cascade"] else "no-cascade",
    ])

doc = json.load(sys.stdin)
if len(sys.argv) > 1:
    name, field = sys.argv[1], sys.argv[2]
    for a in doc["apps"]:
        if a["name"] == name:
            v = a[field]
            print("null" if v is None else
                  ("true" if v is True else "false" if v is False else v))
            break
    else:
        sys.exit("no app '%s'" % name)
else:
    for a in doc["apps"]:
        print(text(a))
    for n in doc["notes"]:
        print("note: " + n)
EOF

gg_apps() {
	gitops-guard apps --repo "$@" >"$GG_TRASH/.apps.text" &&
	sort "$GG_TRASH/.apps.text" >"$GG_TRASH/.apps.sorted" &&
	if test_have_prereq PYTHON3; then
		gitops-guard apps --format json --repo "$@" \
			>"$GG_TRASH/.apps.json" &&
		python3 "$gg_apps_py" <"$GG_TRASH/.apps.json" |
		sort >"$GG_TRASH/.apps.fromjson" &&
		test_cmp "$GG_TRASH/.apps.sorted" "$GG_TRASH/.apps.fromjson" >&2
	fi &&
	cat "$GG_TRASH/.apps.sorted"
}

gg_apps_json() {
	gitops-guard apps --format json --repo "$@" >"$GG_TRASH/.apps.json" &&
	python3 -c 'import json, sys; json.load(sys.stdin)' \
		<"$GG_TRASH/.apps.json" &&
	cat "$GG_TRASH/.apps.json"
}

gg_app_field() {
	python3 "$gg_apps_py" "$2" "$3" <"$1"
}

# The names after "the push touches: " in a verbose push's output.
gg_touched() {
	sed -n -e 's/^remote: gitops-guard: note: .* the push touches: //p' "$1" |
	sed -e 's/[ 	]*$//'
}

# gg_layout_repo <name>: a work repository <name> and its server
# <name>/deploy.git (the server's name decides which URLs are "this
# repository"), with the pre-receive hook.
gg_layout_repo() {
	mkdir -p "$1" &&
	gg_bare_repo "$1/deploy.git" &&
	gg_install_hook "$1/deploy.git" pre-receive &&
	git init -q "$1/work"
}

# gg_publish <name>: commit everything in <name>/work and push it.
gg_publish() {
	gg_commit "$1/work" "${2:-layout}" &&
	git -C "$1/work" push -q ../deploy.git HEAD:refs/heads/main
}
