# Read a uAPI header and write a C program that prints, one per line, the
# value of every object-like macro and enum constant, and the size and
# every member offset of every struct. Compiling the program against two
# headers and comparing the outputs proves binary compatibility.
#
#   gawk -f gen-layout.awk linux/vfio.h [...] > layout.c
{ text = text $0 "\n" }
END {
	# comments out, continuation lines joined
	gsub(/\/\*([^*]|\*+[^*\/])*\*+\//, " ", text)
	gsub(/\\\n/, " ", text)
	n = split(text, lines, "\n")
	depth = 0
	for (i = 1; i <= n; i++) {
		l = lines[i]
		if (l ~ /^[ \t]*#[ \t]*define[ \t]+[A-Za-z_][A-Za-z0-9_]*[ \t]+[^ \t]/ &&
		    l !~ /^[ \t]*#[ \t]*define[ \t]+[A-Za-z_][A-Za-z0-9_]*\(/) {
			split(l, w, /[ \t]+/)
			name = (w[1] == "#define") ? w[2] : w[3]
			val = l
			sub(/^[ \t]*#[ \t]*define[ \t]+[A-Za-z_0-9]+[ \t]+/, "", val)
			if (val ~ /^"/)
				strs[name] = 1
			else
				nums[name] = 1
			continue
		}
		if (l ~ /^[ \t]*#/)
			continue
		if (depth == 0 && l ~ /^[ \t]*struct[ \t]+[A-Za-z_0-9]+[ \t]*\{/) {
			match(l, /struct[ \t]+[A-Za-z_0-9]+/)
			cur = substr(l, RSTART, RLENGTH)
			sub(/struct[ \t]+/, "", cur)
			kind = "struct"
			structs[cur] = 1
			depth = 1
			continue
		}
		if (depth == 0 && l ~ /^[ \t]*enum[ \t]*[A-Za-z_0-9]*[ \t]*\{/) {
			kind = "enum"
			depth = 1
			continue
		}
		if (depth == 0)
			continue
		if (l ~ /\{/) {
			depth++
			continue
		}
		if (l ~ /^[ \t]*\}/) {
			depth--
			continue
		}
		if (kind == "enum") {
			m = l
			gsub(/=.*/, "", m)
			gsub(/[ \t,]/, "", m)
			if (m != "")
				nums[m] = 1
			continue
		}
		if (l ~ /;/) {
			m = l
			sub(/;.*/, "", m)
			sub(/\[.*/, "", m)
			sub(/.*[ \t*]/, "", m)
			if (m != "")
				members[cur, ++nmem[cur]] = m
		}
	}
	print "#include <stdio.h>"
	print "#include <stddef.h>"
	print "#include <linux/vfio.h>"
	print "int main(void)"
	print "{"
	for (k in nums)
		printf "\tprintf(\"%s %%lld\\n\", (long long)(%s));\n", k, k
	for (k in strs)
		printf "\tprintf(\"%s %%s\\n\", %s);\n", k, k
	for (s in structs) {
		printf "\tprintf(\"sizeof(struct %s) %%zu\\n\", sizeof(struct %s));\n", s, s
		for (j = 1; j <= nmem[s]; j++)
			printf "\tprintf(\"offsetof(struct %s, %s) %%zu\\n\", offsetof(struct %s, %s));\n", \
			       s, members[s, j], s, members[s, j]
	}
	print "\treturn 0;"
	print "}"
}
