package generate

import (
	"encoding/csv"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	"locatiedesk/data"
)

// ChildrenFileOptions say what a planning system's children file holds.
type ChildrenFileOptions struct {
	Location string
	// Groups are the location's groups; each child gets a contract in one of
	// them: daycare in a KDV group, school weeks in a BSO group (every
	// seventh also Qflexibel hours or a holiday contract).
	Groups   []data.Group
	Children int
	// Start is the first day of every contract.
	Start data.Date
	// NumberPrefix starts every child number, so files of several
	// locations do not share numbers.
	NumberPrefix string
	Seed         uint64
}

// ChildrenFile writes a children import file (semicolons, Dutch headers, as
// the README shows) and returns its lines as the import reads them, so a
// test knows which child is expected in which group on which weekday.
func ChildrenFile(w io.Writer, o ChildrenFileOptions) ([]data.ChildImportLine, error) {
	if len(o.Groups) == 0 || o.Children < 1 || o.Start.IsZero() || o.Location == "" {
		return nil, fmt.Errorf("%w: a children file needs a location, its groups, children and a start", data.ErrInvalid)
	}
	rng := rand.New(rand.NewPCG(o.Seed, 2))
	cw := csv.NewWriter(w)
	cw.Comma = ';'
	header := []string{data.ColNumber, data.ColFirstName, data.ColLastName, data.ColBirthDate, data.ColLocation, data.ColGroup,
		data.ColProduct, data.ColDays, data.ColStartTime, data.ColEndTime, data.ColStartDate, data.ColEndDate, data.ColSchool,
		data.ColHolidayDays, data.ColFlexHours, data.ColParentName, data.ColParentPhone}
	if err := cw.Write(header); err != nil {
		return nil, err
	}
	var lines []data.ChildImportLine
	for i := range o.Children {
		g := o.Groups[i%len(o.Groups)]
		l := data.ChildImportLine{Line: len(lines) + 2, Number: fmt.Sprintf("%s%05d", o.NumberPrefix, i+1),
			FirstName: firstNames[rng.IntN(len(firstNames))], LastName: lastNames[rng.IntN(len(lastNames))],
			Location: o.Location, Group: g.Name, Start: o.Start, Days: days(rng)}
		slices.SortFunc(l.Days, func(a, b data.ContractDay) int { return int(a.Weekday - b.Weekday) })
		l.Parent = data.Contact{Name: "Ouder " + l.LastName, Phone: fmt.Sprintf("06-%08d", rng.IntN(1e8))}
		var credit data.ChildImportLine
		if g.Care == data.KDV {
			l.Product, l.BirthDate = data.ProductKDV, o.Start.AddDays(-(100 + rng.IntN(3*365)))
			setTimes(l.Days, data.NewClock(7, 30), data.NewClock(18, 0))
			credit.Product, credit.CreditHours = data.ProductQflexibel, 40
		} else {
			l.Product, l.BirthDate = data.ProductBSOSchoolWeeks, o.Start.AddDays(-(5*365 + rng.IntN(6*365)))
			l.School = fmt.Sprintf("%s school %d", o.Location, i%2+1)
			setTimes(l.Days, data.NewClock(15, 0), data.NewClock(18, 30))
			credit.Product, credit.CreditDays = data.ProductBSOHoliday, 10
		}
		lines = append(lines, l)
		if i%7 == 0 {
			c := l
			c.Line, c.Product, c.Days, c.CreditDays, c.CreditHours = l.Line+1, credit.Product, nil, credit.CreditDays, credit.CreditHours
			lines = append(lines, c)
		}
	}
	for _, l := range lines {
		if err := cw.Write(childRecord(l)); err != nil {
			return nil, err
		}
	}
	cw.Flush()
	return lines, cw.Error()
}

func childRecord(l data.ChildImportLine) []string {
	var dayNames []string
	var from, until string
	for _, d := range l.Days {
		dayNames = append(dayNames, dutchDay[d.Weekday])
		from, until = d.Times.From.String(), d.Times.Until.String()
	}
	number := func(n float64) string {
		if n == 0 {
			return ""
		}
		return strconv.FormatFloat(n, 'f', -1, 64)
	}
	end := ""
	if !l.End.IsZero() {
		end = l.End.String()
	}
	return []string{l.Number, l.FirstName, l.LastName, l.BirthDate.String(), l.Location, l.Group, string(l.Product),
		strings.Join(dayNames, ","), from, until, l.Start.String(), end, l.School,
		number(float64(l.CreditDays)), number(l.CreditHours), l.Parent.Name, l.Parent.Phone}
}

var dutchDay = map[time.Weekday]string{time.Monday: "ma", time.Tuesday: "di", time.Wednesday: "wo", time.Thursday: "do", time.Friday: "vr"}
