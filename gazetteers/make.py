#!/usr/bin/env python3
"""Builds places.tsv, villages.tsv.gz and surnames.tsv from the national reference data.

Run by hand when the reference data changes:
    python3 gazetteers/make.py ../shared/data [JIEBA_DICT]
JIEBA_DICT (jieba's dict.txt) is optional: with it, a short form that jieba knows
as a frequent ordinary word (not a place) is not offered as a short form.
The product reads only the files written here, never ../shared.
"""
import gzip, os, sys

ETHNIC = ("蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 拉祜 水 东乡 "
          "纳西 景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 怒 乌孜别克 俄罗斯 "
          "鄂温克 德昂 保安 裕固 京 塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺 各").split()
ETHNIC.sort(key=len, reverse=True)
SUFFIXES = {"province": ["特别行政区", "自治区", "省", "市"],
            "prefecture": ["自治州", "地区", "市", "盟", "州"],
            "county": ["自治县", "自治旗", "林区", "特区", "县", "区", "旗", "市"]}
COMMITTEE = [("社区居委会", "社区"), ("社区居民委员会", "社区"), ("村民委员会", "村"), ("村民委会", "村"),
             ("村委会", "村"), ("嘎查委员会", "嘎查"), ("嘎查村委会", "嘎查"), ("居民委员会", ""), ("居委会", "")]


def strip_ethnic(s):
    changed = True
    while changed and s.endswith("族"):
        changed = False
        for e in ETHNIC:
            if s.endswith(e + "族") and len(s) > len(e) + 2:
                s, changed = s[: -len(e) - 1], True
                break
    return s


def short_form(name, level, common):
    for suf in SUFFIXES.get(level, []):
        if name.endswith(suf) and len(name) > len(suf):
            s = strip_ethnic(name[: -len(suf)])
            if len(s) >= 2 and s not in common:
                return s
            return ""
    return ""


def text_name(name):
    for suf, repl in COMMITTEE:
        if name.endswith(suf) and len(name) > len(suf):
            base = name[: -len(suf)]
            if repl and base.endswith(repl):
                return base
            return base + repl if repl else base
    return name


def main():
    data = sys.argv[1]
    common = set()
    if len(sys.argv) > 2:
        for line in open(sys.argv[2], encoding="utf-8"):
            w, f, t = line.split()
            if not t.startswith("ns") and int(f) >= 200:
                common.add(w)
    out = os.path.dirname(os.path.abspath(__file__))
    rows = [l.rstrip("\n").split("\t") for l in open(os.path.join(data, "divisions.tsv"), encoding="utf-8")][1:]
    # Grouping rows that news text never names: children hang under the province.
    skipped = {code: parent for code, name, level, parent in rows
               if level == "prefecture" and (name in ("市辖区", "县") or "直辖" in name)}
    with open(os.path.join(out, "places.tsv"), "w", encoding="utf-8") as f:
        f.write("code\tname\tlevel\tparent_code\tshort\talias\n")
        for code, name, level, parent in rows:
            if code in skipped:
                continue
            parent = skipped.get(parent, parent)
            short = short_form(name, level, common)
            # `延边州`, `红河州`: an autonomous prefecture or county by its short name and level.
            alias = next((short + suf[-1] for suf in ("自治州", "自治县", "自治旗") if short and name.endswith(suf)), "")
            f.write(f"{code}\t{name}\t{level}\t{parent}\t{short}\t{alias}\n")
    with gzip.open(os.path.join(data, "villages.tsv.gz"), "rt", encoding="utf-8") as src, \
            gzip.open(os.path.join(out, "villages.tsv.gz"), "wt", encoding="utf-8", compresslevel=9) as dst:
        next(src)
        dst.write("code\tname\tparent_code\n")
        for line in src:
            code, name, level, parent = line.rstrip("\n").split("\t")
            dst.write(f"{code}\t{text_name(name)}\t{parent}\n")
    with open(os.path.join(data, "surnames.tsv"), encoding="utf-8") as src, \
            open(os.path.join(out, "surnames.tsv"), "w", encoding="utf-8") as dst:
        dst.write(src.read())


if __name__ == "__main__":
    main()
