package data

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// The children import (README, "Children and contracts from the planning
// system"): one line per contract, a header line naming the columns in any
// order, in Dutch or English. CSV (";" or ",", UTF-8 with or without a
// byte-order mark) or XLSX (the first sheet), told apart by content.

// MaxChildImportFile is the largest children file the import reads.
const MaxChildImportFile = 20 << 20

// The columns of a children file, by their Dutch names; ChildImportColumns
// lists them in the order the export writes them.
const (
	ColNumber      = "kindnummer"
	ColFirstName   = "voornaam"
	ColLastName    = "achternaam"
	ColBirthDate   = "geboortedatum"
	ColLocation    = "locatie"
	ColGroup       = "groep"
	ColProduct     = "product"
	ColDays        = "dagen"
	ColStartTime   = "begintijd"
	ColEndTime     = "eindtijd"
	ColStartDate   = "ingangsdatum"
	ColEndDate     = "einddatum"
	ColSchool      = "school"
	ColHolidayDays = "vakantiedagen"
	ColFlexHours   = "flexuren"
	ColParentName  = "ouder_naam"
	ColParentPhone = "ouder_telefoon"
	ColParentEmail = "ouder_email"
)

// ChildImportColumns are the columns of a children file, in export order.
var ChildImportColumns = []string{ColNumber, ColFirstName, ColLastName, ColBirthDate, ColLocation, ColGroup,
	ColProduct, ColDays, ColStartTime, ColEndTime, ColStartDate, ColEndDate, ColSchool, ColHolidayDays, ColFlexHours,
	ColParentName, ColParentPhone, ColParentEmail}

// RequiredChildColumns must be in every children file.
var RequiredChildColumns = []string{ColNumber, ColFirstName, ColLastName, ColBirthDate, ColLocation, ColGroup, ColProduct, ColStartDate}

// childColumnNames are the header names a column may have, normalised
// (lower case, "_" for spaces and dashes).
var childColumnNames = map[string]string{
	"kindnummer": ColNumber, "child_number": ColNumber, "kind_nummer": ColNumber, "kindnr": ColNumber, "number": ColNumber,
	"voornaam": ColFirstName, "first_name": ColFirstName, "firstname": ColFirstName,
	"achternaam": ColLastName, "last_name": ColLastName, "lastname": ColLastName, "surname": ColLastName,
	"geboortedatum": ColBirthDate, "birth_date": ColBirthDate, "birthdate": ColBirthDate, "date_of_birth": ColBirthDate,
	"locatie": ColLocation, "location": ColLocation,
	"groep": ColGroup, "group": ColGroup,
	"product": ColProduct, "opvangsoort": ColProduct,
	"dagen": ColDays, "days": ColDays, "weekdagen": ColDays, "weekdays": ColDays,
	"begintijd": ColStartTime, "start_time": ColStartTime, "van": ColStartTime,
	"eindtijd": ColEndTime, "end_time": ColEndTime, "tot": ColEndTime,
	"ingangsdatum": ColStartDate, "start_date": ColStartDate, "begindatum": ColStartDate,
	"einddatum": ColEndDate, "end_date": ColEndDate,
	"school":        ColSchool,
	"vakantiedagen": ColHolidayDays, "holiday_days": ColHolidayDays,
	"flexuren": ColFlexHours, "flex_hours": ColFlexHours, "qflexibel_uren": ColFlexHours,
	"ouder_naam": ColParentName, "parent_name": ColParentName,
	"ouder_telefoon": ColParentPhone, "parent_phone": ColParentPhone,
	"ouder_email": ColParentEmail, "parent_email": ColParentEmail, "ouder_e_mail": ColParentEmail,
}

// ChildColumn returns the column a header name stands for ("" when none):
// Dutch or English, in any case, with spaces, dashes or underscores.
func ChildColumn(header string) string {
	return childColumnNames[columnKey(header)]
}

func columnKey(s string) string {
	return strings.Join(strings.Fields(strings.ToLower(strings.NewReplacer("-", " ", "_", " ").Replace(s))), "_")
}

// productNames are the spellings of the products a planning system may
// export: the codes of Products and the Dutch names the office uses.
var productNames = map[string]Product{
	"kdv": ProductKDV, "dagopvang": ProductKDV, "kinderdagverblijf": ProductKDV, "daycare": ProductKDV,
	"bso_schoolweken": ProductBSOSchoolWeeks, "schoolweken": ProductBSOSchoolWeeks, "bso_40_weken": ProductBSOSchoolWeeks,
	"bso_schoolwekencontract": ProductBSOSchoolWeeks, "bso_school_weeks": ProductBSOSchoolWeeks,
	"bso_52weken": ProductBSO52Weeks, "bso_52_weken": ProductBSO52Weeks, "52_weken": ProductBSO52Weeks, "bso_52_weeks": ProductBSO52Weeks,
	"bso_vakantie": ProductBSOHoliday, "vakantiecontract": ProductBSOHoliday, "bso_vakantiecontract": ProductBSOHoliday,
	"vakantieopvang": ProductBSOHoliday, "bso_vakantieopvang": ProductBSOHoliday, "bso_holiday": ProductBSOHoliday,
	"qflexibel": ProductQflexibel, "flexibel": ProductQflexibel, "flex": ProductQflexibel, "flexuren": ProductQflexibel,
}

// ParseProduct reads a product as a planning system names it.
func ParseProduct(s string) (Product, bool) {
	p, ok := productNames[columnKey(s)]
	return p, ok
}

// dayNames are weekday spellings, Dutch and English, short and long.
var dayNames = map[string]time.Weekday{
	"ma": time.Monday, "maandag": time.Monday, "mon": time.Monday, "monday": time.Monday, "mo": time.Monday,
	"di": time.Tuesday, "dinsdag": time.Tuesday, "tue": time.Tuesday, "tuesday": time.Tuesday, "tu": time.Tuesday,
	"wo": time.Wednesday, "woensdag": time.Wednesday, "wed": time.Wednesday, "wednesday": time.Wednesday, "we": time.Wednesday,
	"do": time.Thursday, "donderdag": time.Thursday, "thu": time.Thursday, "thursday": time.Thursday, "th": time.Thursday,
	"vr": time.Friday, "vrijdag": time.Friday, "fri": time.Friday, "friday": time.Friday, "fr": time.Friday,
	"za": time.Saturday, "zaterdag": time.Saturday, "sat": time.Saturday, "saturday": time.Saturday, "sa": time.Saturday,
	"zo": time.Sunday, "zondag": time.Sunday, "sun": time.Sunday, "sunday": time.Sunday, "su": time.Sunday,
}

// The problems of a children file, beside those the consent import has.
const (
	ProblemMapping      ImportProblem = "mapping"    // the column map names a column Value that does not exist
	ProblemNoNumber     ImportProblem = "no-number"  // the line has no child number
	ProblemName         ImportProblem = "name"       // first or last name missing
	ProblemProduct      ImportProblem = "product"    // Value is not a product
	ProblemDays         ImportProblem = "days"       // Value is not a list of weekdays
	ProblemTime         ImportProblem = "time"       // Value is not a time of day HH:MM
	ProblemCredit       ImportProblem = "credit"     // Value is not a number of holiday days or hours
	ProblemEndBefore    ImportProblem = "end-before" // the contract ends (Value) before it starts
	ProblemUnknownLoc   ImportProblem = "unknown-location"
	ProblemUnknownGroup ImportProblem = "unknown-group" // no group Value at the line's location
	ProblemCareType     ImportProblem = "care-type"     // the product Value is not sold in the group's care type
	ProblemContract     ImportProblem = "contract"      // the contract is not complete: Value says why
	ProblemOverlap      ImportProblem = "overlap"       // the contract overlaps the one on line Want (0: one in Locatiedesk from Value)
	ProblemChildDiffers ImportProblem = "child-differs" // the child's Value differs from an earlier line of the same number
	ProblemParent       ImportProblem = "parent"        // a parent's phone or e-mail without the parent's name
	ProblemNotSheet     ImportProblem = "not-a-sheet"   // the file is neither CSV text nor an XLSX workbook
	ProblemBirthFuture  ImportProblem = "birth-future"  // the birth date Value is after today
	ProblemNoTimes      ImportProblem = "no-times"      // weekdays without a start and an end time
)

// childProblemText says what is wrong for the problems of this file.
func childProblemText(e LineError) (string, bool) {
	switch e.Problem {
	case ProblemMapping:
		return fmt.Sprintf("the column map names an unknown column %q", e.Value), true
	case ProblemNoNumber:
		return "the line has no child number", true
	case ProblemName:
		return "the child needs a first and a last name", true
	case ProblemProduct:
		return fmt.Sprintf("unknown product %q", e.Value), true
	case ProblemDays:
		return fmt.Sprintf("%q is not a list of weekdays (ma,di,do or mon,tue,thu)", e.Value), true
	case ProblemTime:
		return fmt.Sprintf("%q is not a time of day (HH:MM)", e.Value), true
	case ProblemCredit:
		return fmt.Sprintf("%q is not a number of holiday days or hours", e.Value), true
	case ProblemEndBefore:
		return fmt.Sprintf("the contract ends (%s) before it starts", e.Value), true
	case ProblemUnknownLoc:
		return fmt.Sprintf("unknown location %q", e.Value), true
	case ProblemUnknownGroup:
		return fmt.Sprintf("unknown group %q at this location", e.Value), true
	case ProblemCareType:
		return fmt.Sprintf("the group's care type cannot have product %s", e.Value), true
	case ProblemContract:
		return e.Value, true
	case ProblemOverlap:
		if e.Want > 0 {
			return fmt.Sprintf("the contract overlaps the one on line %d", e.Want), true
		}
		return fmt.Sprintf("the contract overlaps the child's contract from %s in Locatiedesk", e.Value), true
	case ProblemChildDiffers:
		return fmt.Sprintf("the child's %s differs from an earlier line with the same child number", e.Value), true
	case ProblemParent:
		return "a parent's phone or e-mail needs the parent's name", true
	case ProblemNotSheet:
		return "the file is not a CSV or XLSX spreadsheet", true
	case ProblemBirthFuture:
		return fmt.Sprintf("birth date %s is after today", e.Value), true
	case ProblemNoTimes:
		return "the weekdays need a start and an end time", true
	}
	return "", false
}

// ChildImportLine is one well-formed line of a children file: a child and
// one contract, with names still to be found in the store.
type ChildImportLine struct {
	Line      int
	Number    string
	FirstName string
	LastName  string
	BirthDate Date
	Location  string
	Group     string
	School    string
	Product   Product
	Days      []ContractDay
	Start     Date
	End       Date
	// CreditDays and CreditHours are a holiday contract's days and a Qflexibel contract's hours.
	CreditDays  int
	CreditHours float64
	// Parent is the contact of the ouder_* columns; Name is empty without them.
	Parent Contact
}

// ChildImport is a parsed children file: its good lines, and the problems
// of the others. An import goes ahead only without problems.
type ChildImport struct {
	Name string
	// Headers are the cells of the file's header line as written, for a
	// column picker (ChildColumn says which each one is); without a header
	// line found, the cells of the first line.
	Headers  []string
	Lines    []ChildImportLine
	Problems []LineError
}

// ParseChildImport reads a children file (CSV or XLSX, told by its first
// bytes). mapping maps a header of the file to a column name (Dutch or
// English), for files whose headers the import does not know. Every bad line
// is in the result's Problems; the error is only for a file that cannot be read.
func ParseChildImport(name string, r io.Reader, mapping map[string]string) (ChildImport, error) {
	ci := ChildImport{Name: name}
	raw, err := io.ReadAll(io.LimitReader(r, MaxChildImportFile+1))
	if err != nil {
		return ci, fmt.Errorf("read %s: %w", name, err)
	}
	if len(raw) > MaxChildImportFile {
		ci.Problems = []LineError{{Problem: ProblemTooLarge, Value: strconv.Itoa(MaxChildImportFile)}}
		return ci, nil
	}
	userMap := map[string]string{}
	for header, column := range mapping {
		target := ChildColumn(column)
		if target == "" {
			ci.Problems = append(ci.Problems, LineError{Problem: ProblemMapping, Value: column})
			continue
		}
		userMap[columnKey(header)] = target
	}
	if len(ci.Problems) > 0 {
		return ci, nil
	}
	var rows []sheetRow
	xlsx := bytes.HasPrefix(raw, []byte("PK\x03\x04"))
	if xlsx {
		rows, err = xlsxRows(raw)
	} else {
		rows, ci.Problems = csvRows(raw)
	}
	if err != nil {
		ci.Problems = []LineError{{Problem: ProblemNotSheet}}
		return ci, nil
	}
	var columns map[string]int
	var firstProblems []LineError // of the first line, when it was no header
	for _, row := range rows {
		if strings.TrimSpace(strings.Join(row.cells, "")) == "" {
			continue // spreadsheets export empty rows as ";;;;"
		}
		if columns == nil {
			found, problems := childHeader(row, userMap)
			if ci.Headers == nil || len(found) >= headerMinimum {
				ci.Headers = row.cells
			}
			if len(found) < headerMinimum && len(problems) > 0 {
				// Perhaps a title above the header, as spreadsheets have: look on.
				if firstProblems == nil {
					firstProblems = problems
				}
				continue
			}
			if len(problems) > 0 {
				ci.Problems = append(ci.Problems, problems...)
				return ci, nil
			}
			columns = found
			continue
		}
		line, problems := readChildLine(row, columns, xlsx)
		if len(problems) > 0 {
			ci.Problems = append(ci.Problems, problems...)
			continue
		}
		ci.Lines = append(ci.Lines, line)
	}
	switch {
	case columns == nil && firstProblems != nil:
		ci.Problems = append(ci.Problems, firstProblems...)
	case len(ci.Lines) == 0 && len(ci.Problems) == 0:
		ci.Problems = append(ci.Problems, LineError{Problem: ProblemEmpty})
	}
	slices.SortStableFunc(ci.Problems, func(a, b LineError) int { return a.Line - b.Line })
	return ci, nil
}

// sheetRow is one line of the file with its line number.
type sheetRow struct {
	line  int
	cells []string
}

// csvRows splits CSV text into rows; lines that are not UTF-8 become problems.
func csvRows(raw []byte) ([]sheetRow, []LineError) {
	raw = bytes.TrimPrefix(raw, []byte("\xef\xbb\xbf"))
	var problems []LineError
	badLines := map[int]bool{}
	if !utf8.Valid(raw) {
		for i, line := range bytes.Split(raw, []byte("\n")) {
			if !utf8.Valid(line) {
				badLines[i+1] = true
				problems = append(problems, LineError{Line: i + 1, Problem: ProblemEncoding})
			}
		}
	}
	header, _, _ := bytes.Cut(raw, []byte("\n"))
	cr := csv.NewReader(bytes.NewReader(raw))
	if bytes.Count(header, []byte(";")) > bytes.Count(header, []byte(",")) {
		cr.Comma = ';'
	}
	cr.FieldsPerRecord = -1
	var rows []sheetRow
	for {
		record, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		var parseErr *csv.ParseError
		if errors.As(err, &parseErr) {
			if !badLines[parseErr.StartLine] {
				problems = append(problems, LineError{Line: parseErr.StartLine, Problem: ProblemQuotes})
			}
			continue
		}
		if err != nil {
			problems = append(problems, LineError{Problem: ProblemNotSheet})
			break
		}
		line, _ := cr.FieldPos(0)
		if badLines[line] {
			continue
		}
		rows = append(rows, sheetRow{line: line, cells: record})
	}
	return rows, problems
}

// xlsxRows reads the first sheet of a workbook, cell values raw (dates as
// Excel's day numbers), with limits on what unzipping may take.
func xlsxRows(raw []byte) (rows []sheetRow, err error) {
	defer func() { // a damaged workbook gives a message, never a crash
		if p := recover(); p != nil {
			rows, err = nil, fmt.Errorf("damaged workbook: %v", p)
		}
	}()
	f, err := excelize.OpenReader(bytes.NewReader(raw), excelize.Options{RawCellValue: true,
		UnzipSizeLimit: 200 << 20, UnzipXMLSizeLimit: 100 << 20})
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, errors.New("the workbook has no sheet")
	}
	all, err := f.GetRows(sheets[0], excelize.Options{RawCellValue: true})
	if err != nil {
		return nil, err
	}
	for i, cells := range all {
		rows = append(rows, sheetRow{line: i + 1, cells: cells})
	}
	return rows, nil
}

// headerMinimum known columns make a line the header; a line above it with
// fewer (a title, an export date) is passed over.
const headerMinimum = 3

// childHeader maps each known column to its field index.
func childHeader(row sheetRow, userMap map[string]string) (map[string]int, []LineError) {
	columns := map[string]int{}
	var problems []LineError
	for i, name := range row.cells {
		column, mapped := userMap[columnKey(name)]
		if !mapped {
			column = ChildColumn(name)
		}
		if column == "" {
			continue // a planning system exports more than the import needs
		}
		if _, twice := columns[column]; twice {
			problems = append(problems, LineError{Line: row.line, Problem: ProblemDoubleColumn, Value: column})
		}
		columns[column] = i
	}
	for _, need := range RequiredChildColumns {
		if _, ok := columns[need]; !ok {
			problems = append(problems, LineError{Line: row.line, Problem: ProblemMissingColumn, Value: need})
		}
	}
	return columns, problems
}

func readChildLine(row sheetRow, columns map[string]int, xlsx bool) (ChildImportLine, []LineError) {
	field := func(column string) string {
		if i, ok := columns[column]; ok && i < len(row.cells) {
			text := strings.TrimSpace(row.cells[i])
			if len(text) > 1 && text[0] == '\'' && strings.ContainsRune(FormulaStarts, rune(text[1])) {
				text = text[1:] // the export's guard against Excel formulas
			}
			return text
		}
		return ""
	}
	var problems []LineError
	fail := func(p ImportProblem, value string) {
		problems = append(problems, LineError{Line: row.line, Problem: p, Value: value})
	}
	date := func(column string, p ImportProblem) Date {
		text := field(column)
		if text == "" {
			return Date{}
		}
		if d, ok := excelDate(text, xlsx); ok {
			return d
		}
		d, err := ParseDateDMY(text)
		if err != nil {
			fail(p, text)
		}
		return d
	}
	clock := func(column string) (Clock, bool) {
		text := field(column)
		if text == "" {
			return 0, false
		}
		if c, ok := excelClock(text, xlsx); ok {
			return c, true
		}
		c, err := ParseClock(strings.Replace(text, ".", ":", 1))
		if err != nil {
			fail(ProblemTime, text)
		}
		return c, err == nil
	}
	l := ChildImportLine{Line: row.line, Number: field(ColNumber),
		FirstName: OneSpaced(field(ColFirstName)), LastName: OneSpaced(field(ColLastName)),
		Location: field(ColLocation), Group: field(ColGroup), School: OneSpaced(field(ColSchool)),
		Parent: Contact{Name: OneSpaced(field(ColParentName)), Phone: field(ColParentPhone), Email: field(ColParentEmail)}}
	if l.Number == "" {
		fail(ProblemNoNumber, "")
	}
	if l.FirstName == "" || l.LastName == "" {
		fail(ProblemName, "")
	}
	if l.Parent.Name == "" && (l.Parent.Phone != "" || l.Parent.Email != "") {
		fail(ProblemParent, "")
	}
	if l.BirthDate = date(ColBirthDate, ProblemBirthDate); l.BirthDate.IsZero() && field(ColBirthDate) == "" {
		fail(ProblemBirthDate, "")
	}
	if l.Start = date(ColStartDate, ProblemDate); l.Start.IsZero() && field(ColStartDate) == "" {
		fail(ProblemDate, "")
	}
	l.End = date(ColEndDate, ProblemDate)
	if !l.End.IsZero() && !l.Start.IsZero() && l.End.Before(l.Start) {
		fail(ProblemEndBefore, l.End.String())
	}
	product, ok := ParseProduct(field(ColProduct))
	if !ok {
		fail(ProblemProduct, field(ColProduct))
	}
	l.Product = product
	if text := field(ColHolidayDays); text != "" {
		n, err := strconv.Atoi(text)
		if err != nil || n < 0 {
			fail(ProblemCredit, text)
		}
		l.CreditDays = n
	}
	if text := field(ColFlexHours); text != "" {
		h, err := strconv.ParseFloat(strings.Replace(text, ",", ".", 1), 64)
		if err != nil || h < 0 || math.IsInf(h, 0) || math.IsNaN(h) {
			fail(ProblemCredit, text)
		}
		l.CreditHours = h
	}
	from, hasFrom := clock(ColStartTime)
	until, hasUntil := clock(ColEndTime)
	days, err := parseDays(field(ColDays), TimeRange{From: from, Until: until})
	if err != nil {
		fail(ProblemDays, field(ColDays))
	}
	timeFailed := (field(ColStartTime) != "" && !hasFrom) || (field(ColEndTime) != "" && !hasUntil)
	if !timeFailed && slices.ContainsFunc(days, func(d ContractDay) bool { return d.Times == TimeRange{} }) {
		fail(ProblemNoTimes, "")
	}
	l.Days = days
	return l, problems
}

// parseDays reads "ma,di,do" (also with ";", "/" or spaces between, Dutch
// or English, short or long) with the line's times; a day may carry its own
// times, "ma 07:30-18:00", as the export writes days whose times differ.
func parseDays(text string, times TimeRange) ([]ContractDay, error) {
	if text == "" {
		return nil, nil
	}
	var out []ContractDay
	items := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return r == ',' || r == ';' || r == '/' || r == '+' })
	if len(items) == 1 && strings.Count(items[0], " ") > 0 && !strings.ContainsAny(items[0], ":") {
		items = strings.Fields(items[0]) // "ma di do"
	}
	for _, item := range items {
		name, own, hasOwn := strings.Cut(strings.TrimSpace(item), " ")
		wd, ok := dayNames[strings.TrimSuffix(name, ".")]
		if !ok {
			return nil, fmt.Errorf("unknown weekday %q", name)
		}
		d := ContractDay{Weekday: wd, Times: times}
		if hasOwn {
			from, until, ok := strings.Cut(strings.NewReplacer("–", "-", " ", "").Replace(own), "-")
			f, err1 := ParseClock(from)
			u, err2 := ParseClock(until)
			if !ok || err1 != nil || err2 != nil {
				return nil, fmt.Errorf("times %q", own)
			}
			d.Times = TimeRange{From: f, Until: u}
		}
		out = append(out, d)
	}
	return out, nil
}

// excelDate reads a workbook's raw date cell: a day number since 1899-12-30.
func excelDate(text string, xlsx bool) (Date, bool) {
	if !xlsx {
		return Date{}, false
	}
	n, err := strconv.ParseFloat(text, 64)
	if err != nil || n < 1 || n > 2958465 { // 2958465 is 9999-12-31
		return Date{}, false
	}
	t, err := excelize.ExcelDateToTime(math.Floor(n), false)
	if err != nil {
		return Date{}, false
	}
	return DateOf(t), true
}

// excelClock reads a workbook's raw time cell: a fraction of a day.
func excelClock(text string, xlsx bool) (Clock, bool) {
	if !xlsx {
		return 0, false
	}
	f, err := strconv.ParseFloat(text, 64)
	if err != nil || f < 0 || math.IsInf(f, 0) {
		return 0, false
	}
	// A cell holding a date with its time keeps the time in the fraction.
	minutes := int(math.Round((f - math.Floor(f)) * 24 * 60))
	return Clock(minutes % (24 * 60)), true
}

func OneSpaced(s string) string { return strings.Join(strings.Fields(s), " ") }
