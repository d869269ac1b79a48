package data

import (
	"bufio"
	"encoding/csv"
	"io"
	"slices"
	"strconv"
	"strings"
)

// FormulaStarts are the first characters with which Excel reads a cell as a formula.
const FormulaStarts = "=+-@"

// dutchDays are the short names the export writes.
var dutchDays = [...]string{"zo", "ma", "di", "wo", "do", "vr", "za"}

// WriteChildExport writes a children file of the given lines (ChildExportRow):
// the Dutch column names, ";" between fields, UTF-8 with a byte-order mark
// for Excel.
func WriteChildExport(w io.Writer, rows [][]string) error {
	bw := bufio.NewWriter(w)
	if _, err := bw.WriteString("\uFEFF"); err != nil {
		return err
	}
	cw := csv.NewWriter(bw)
	cw.Comma, cw.UseCRLF = ';', true
	if err := cw.Write(ChildImportColumns); err != nil {
		return err
	}
	if err := cw.WriteAll(rows); err != nil {
		return err
	}
	return bw.Flush()
}

// ChildExportRow is one contract as a line of a children file, in
// ChildImportColumns order, as the import reads it back.
func ChildExportRow(c Child, k Contract, location, group, school string) []string {
	var parent Contact
	if len(c.Contacts) > 0 {
		parent = c.Contacts[0]
	}
	optionalDate := func(d Date) string {
		if d.IsZero() {
			return ""
		}
		return d.String()
	}
	days, from, until := exportDays(k.Days)
	credit := func(n float64) string {
		if n == 0 {
			return ""
		}
		return strconv.FormatFloat(n, 'f', -1, 64)
	}
	t := neutraliseFormula
	return []string{t(c.Number), t(c.FirstName), t(c.LastName), optionalDate(c.BirthDate), t(location), t(group),
		string(k.Product), days, from, until, k.Start.String(), optionalDate(k.End), t(school),
		credit(float64(k.CreditDays)), credit(k.CreditHours), t(parent.Name), t(parent.Phone), t(parent.Email)}
}

// neutraliseFormula keeps Excel from running text as a formula (a phone
// number +31…, a name =…): a leading quote, which the import takes off again.
func neutraliseFormula(s string) string {
	if s != "" && strings.ContainsRune(FormulaStarts, rune(s[0])) {
		return "'" + s
	}
	return s
}

// exportDays writes weekdays as "ma,di,do" with the times in their own
// columns, or, when the days' times differ, each day with its times.
func exportDays(days []ContractDay) (list, from, until string) {
	if len(days) == 0 {
		return "", "", ""
	}
	same := !slices.ContainsFunc(days, func(d ContractDay) bool { return d.Times != days[0].Times })
	names := make([]string, len(days))
	for i, d := range days {
		names[i] = dutchDays[d.Weekday]
		if !same {
			names[i] += " " + d.Times.From.String() + "-" + d.Times.Until.String()
		}
	}
	if !same {
		return strings.Join(names, ","), "", ""
	}
	return strings.Join(names, ","), days[0].Times.From.String(), days[0].Times.Until.String()
}
