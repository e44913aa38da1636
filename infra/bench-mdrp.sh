#!/usr/bin/env bash
# Grubhub MDRP benchmark: every policy on every instance in ../shared/data/mdrp (120: seeds 0-4 x o100/o50/r50 x t100/t75
# x s1/s2 x p100/p125), in the Core simulator (no services). Builds Release once, prints one line per run, then the tables:
# per variant family mean click-to-door, undelivered share and ratio to the lower bound, and `live` against
# `rolling-horizon` instance by instance (its worst cases). Every solution is checked by the validator. Not a test.
# `live` bundles up to 3 orders per trip (mdrp `--max-bundle N` changes it); `live-server` is the same with the server's own Dispatch:MaxBundle default (3, bundle offers).
#   bash infra/bench-mdrp.sh [policy ...]       default: rolling-horizon live greedy greedy-bundle (about 4 min each)
#   BENCH_MDRP_INSTANCES='0o100t100s2p100 4o50t100s1p125' bash infra/bench-mdrp.sh live rolling-horizon   a subset
#   BENCH_MDRP_DATA (../shared/data/mdrp beside the checkout), BENCH_MDRP_OUT (/tmp/bench-mdrp: solutions and results.tsv)
set -euo pipefail
cd "$(dirname "$0")/.."
data="${BENCH_MDRP_DATA:-../shared/data/mdrp}"
out="${BENCH_MDRP_OUT:-/tmp/bench-mdrp}"
policies=("$@")
[ ${#policies[@]} -gt 0 ] || policies=(rolling-horizon live greedy greedy-bundle)
[ -d "$data" ] || { echo "[bench-mdrp] error: no MDRP instances in '$data' (set BENCH_MDRP_DATA)" >&2; exit 2; }
if [ -n "${BENCH_MDRP_INSTANCES:-}" ]; then
  read -r -a instances <<< "$BENCH_MDRP_INSTANCES"
else
  mapfile -t instances < <(cd "$data" && ls -d [0-9]* | sort)
fi

echo "[bench-mdrp] building Release"
mkdir -p "$out"
dotnet build Dispatch.Courier -c Release -nologo > "$out/build.log" 2>&1 || { echo "[bench-mdrp] build failed; see $out/build.log" >&2; exit 1; }
dll=Dispatch.Courier/bin/Release/net10.0/Dispatch.Courier.dll
results="$out/results.tsv"
: > "$results"

total=$(( ${#policies[@]} * ${#instances[@]} )); n=0
for p in "${policies[@]}"; do
  for i in "${instances[@]}"; do
    n=$((n + 1))
    if ! dotnet "$dll" mdrp --policy "$p" --instance "$data/$i" --out "$out/$p/$i" --summary "$results" > "$out/$p-$i.log" 2>&1; then
      echo "[bench-mdrp] $p on $i failed (invalid solution or error); see $out/$p-$i.log" >&2; exit 1
    fi
    tail -n 1 "$results" | awk -F'\t' -v n="$n" -v t="$total" \
      '{ printf "[bench-mdrp] %3d/%d %-16s %-16s mean %6.2f  bound %6.2f  undelivered %d/%d  %5d ms\n", n, t, $2, $1, $6, $7, $3-$4, $3, $9 }'
  done
done

echo
echo "Per variant family (orders weighted: mean click-to-door over delivered orders, undelivered share, mean ÷ bound; worst instance ratio)"
awk -F'\t' '
  { inst=$1; pol=$2; o=$3; d=$4; mean=$6; bound=$7
    fam["o"]=substr(inst, 2, index(inst, "t") - 2)
    rest=substr(inst, index(inst, "t")); fam["t"]=substr(rest, 1, index(rest, "s") - 1)
    rest=substr(rest, index(rest, "s")); fam["s"]=substr(rest, 1, index(rest, "p") - 1)
    fam["p"]=substr(rest, index(rest, "p"))
    fam["all"]="every instance"
    if (!(pol in seenPol)) { seenPol[pol]=1; pols[++np]=pol }
    for (f in fam) { key=f SUBSEP fam[f]; if (!(key in seenKey)) { seenKey[key]=1; keys[f, ++nk[f]]=fam[f] }
      k=f SUBSEP fam[f] SUBSEP pol; O[k]+=o; D[k]+=d; S[k]+=mean*d; B[k]+=bound*o
      if (bound > 0 && mean/bound > W[k]) W[k]=mean/bound } }
  END {
    split("o t s p all", order, " ")
    names["o"]="orders (o100 o50 r50)"; names["t"]="t100 / t75"; names["s"]="s1 / s2"; names["p"]="p100 / p125"; names["all"]="all"
    for (x=1; x<=5; x++) { f=order[x]; printf "\n%s\n| variant |", names[f]
      for (j=1; j<=np; j++) printf " `%s` mean | undelivered | ÷ bound (worst) |", pols[j]; printf "\n|---|"
      for (j=1; j<=np; j++) printf "---|---|---|"; printf "\n"
      for (v=1; v<=nk[f]; v++) { val=keys[f, v]; printf "| %s |", val
        for (j=1; j<=np; j++) { k=f SUBSEP val SUBSEP pols[j]
          if (O[k] == 0) { printf " | | |"; continue }
          printf " %.2f | %.2f %% | %.3f (%.3f) |", S[k]/D[k], 100*(O[k]-D[k])/O[k], (S[k]/D[k])/(B[k]/O[k]), W[k] }
        printf "\n" } } }' "$results"

echo
echo "Undelivered over every instance run (the goal counts all; some no policy can deliver: no courier on duty when the food is ready)"
awk -F'\t' '{ if (!($2 in O)) ps[++n]=$2; O[$2]+=$3; U[$2]+=$3-$4; X[$2]+=$5 }
  END { for (i=1; i<=n; i++) { p=ps[i]; printf "  %-16s %5d of %d (%.3f %%); %d of them undeliverable by any policy\n", p, U[p], O[p], 100*U[p]/O[p], X[p] } }' "$results"

for lp in live live-server; do
if grep -q $'\t'"$lp"$'\t' "$results" && grep -q $'\trolling-horizon\t' "$results"; then
  echo
  echo "$lp ÷ rolling-horizon, instance by instance (goal: every instance ≤ 1.02): the ten worst"
  awk -F'\t' -v lp="$lp" '$2==lp{L[$1]=$6; LU[$1]=$3-$4} $2=="rolling-horizon"{R[$1]=$6; RU[$1]=$3-$4}
    END { for (i in L) if (i in R) printf "%s\t%.4f\t%.2f\t%.2f\t%d\t%d\n", i, L[i]/R[i], L[i], R[i], LU[i], RU[i] }' "$results" \
    | sort -t$'\t' -k2,2nr | awk -F'\t' -v lp="$lp" 'BEGIN { printf "| instance | %s ÷ rh | %s | rolling-horizon | undelivered %s / rh |\n", lp, lp, lp; print "|---|---|---|---|---|" }
      { n++; if ($2 > 1.02) over++; if (n <= 10) printf "| %s | %.3f | %.2f | %.2f | %d / %d |\n", $1, $2, $3, $4, $5, $6 }
      END { printf "\n%d of %d instances above 1.02\n", over + 0, n }'
fi
done
echo
echo "[bench-mdrp] results: $results"
