package data

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// The consent CSV (README, "Importing photo consent"): UTF-8 with an optional
// byte-order mark, a header line naming the columns in any order, fields
// separated by ";" or "," (whichever the header line uses most). A line names
// the child by child_id, or by name and birth_date, and gives level and date.

// MaxConsentFile is the largest consent CSV the import reads.
const MaxConsentFile = 10 << 20

// ImportProblem is what is wrong with one line of an import file.
type ImportProblem string

// The problems an import reports, each with the line it is on.
const (
	ProblemTooLarge      ImportProblem = "too-large"      // the file is over MaxConsentFile
	ProblemEmpty         ImportProblem = "empty"          // no lines after the header
	ProblemEncoding      ImportProblem = "encoding"       // the line is not UTF-8
	ProblemMissingColumn ImportProblem = "missing-column" // the header lacks a column (Value)
	ProblemDoubleColumn  ImportProblem = "double-column"  // the header names a column twice (Value)
	ProblemQuotes        ImportProblem = "quotes"         // a quote out of place
	ProblemFieldCount    ImportProblem = "field-count"    // Value fields where the header has Want
	ProblemChildID       ImportProblem = "child-id"       // the child id is not a number
	ProblemBirthDate     ImportProblem = "birth-date"     // the birth date is not a date
	ProblemNoChild       ImportProblem = "no-child"       // neither child id nor name and birth date
	ProblemDate          ImportProblem = "date"           // the answer's date is missing or not a date
	ProblemFutureDate    ImportProblem = "future-date"    // the answer is dated after today
	ProblemUnknownLevel  ImportProblem = "unknown-level"  // Value is not a consent level
	ProblemUnknownChild  ImportProblem = "unknown-child"  // no child with that id, or that name and birth date
	ProblemAmbiguous     ImportProblem = "ambiguous"      // several children have that name and birth date
	ProblemMismatch      ImportProblem = "mismatch"       // the id's child has another name or birth date
)

// LineError is one problem on one line of an import file; Line 0 is the whole file.
type LineError struct {
	Line    int
	Problem ImportProblem
	Value   string // the text the problem is about
	Want    int    // the header's field count, for ProblemFieldCount
	// Because is the rule's refusal a ProblemContract stands for (Value is
	// its English sentence), so that a window says it in its own language.
	Because *Refusal
}

func (e LineError) Error() string {
	if e.Line == 0 {
		return e.Message()
	}
	return fmt.Sprintf("line %d: %s", e.Line, e.Message())
}

// Message says what is wrong, without the line number.
func (e LineError) Message() string {
	var text string
	switch e.Problem {
	case ProblemTooLarge:
		text = fmt.Sprintf("the file is larger than %s bytes", e.Value)
	case ProblemEmpty:
		text = "the file has no lines after the header line"
	case ProblemEncoding:
		text = "the line is not UTF-8 text"
	case ProblemMissingColumn:
		text = fmt.Sprintf("the header line has no column %q", e.Value)
	case ProblemDoubleColumn:
		text = fmt.Sprintf("the header line names column %q twice", e.Value)
	case ProblemQuotes:
		text = "a quote is out of place"
	case ProblemFieldCount:
		text = fmt.Sprintf("%s fields, but the header line has %d", e.Value, e.Want)
	case ProblemChildID:
		text = fmt.Sprintf("child id %q is not a number", e.Value)
	case ProblemBirthDate:
		text = fmt.Sprintf("birth date %q is not a date (YYYY-MM-DD or DD-MM-YYYY)", e.Value)
	case ProblemNoChild:
		text = "no child id, and no name with birth date"
	case ProblemDate:
		text = fmt.Sprintf("date %q is not a date (YYYY-MM-DD or DD-MM-YYYY)", e.Value)
	case ProblemFutureDate:
		text = fmt.Sprintf("date %s is after today", e.Value)
	case ProblemUnknownLevel:
		text = fmt.Sprintf("unknown level %q (use none, portal or public)", e.Value)
	case ProblemUnknownChild:
		text = fmt.Sprintf("unknown child %s", e.Value)
	case ProblemAmbiguous:
		text = fmt.Sprintf("several children are %s", e.Value)
	case ProblemMismatch:
		text = fmt.Sprintf("child id %s belongs to a child with another name or birth date", e.Value)
	default:
		var known bool
		if text, known = childProblemText(e); !known {
			text = string(e.Problem) + " " + e.Value
		}
	}
	return text
}

// ImportError lists every bad line of a file of which nothing was imported.
type ImportError struct{ Lines []LineError }

func (e *ImportError) Error() string {
	if len(e.Lines) == 1 {
		return "1 problem in the file; nothing was imported"
	}
	return fmt.Sprintf("%d problems in the file; nothing was imported", len(e.Lines))
}

// Unwrap makes an ImportError an ErrInvalid.
func (e *ImportError) Unwrap() error { return ErrInvalid }

// ConsentLine is one well-formed line of a consent file.
type ConsentLine struct {
	Line      int
	ChildID   ID // 0 when the line names the child by name and birth date
	Name      string
	BirthDate Date
	Level     ConsentLevel
	Given     Date
}

// The columns of the consent CSV, with the names a header may use for them.
const (
	columnChildID = "child_id"
	columnName    = "name"
	columnBirth   = "birth_date"
	columnLevel   = "level"
	columnDate    = "date"
)

var columnNames = map[string]string{
	"child_id": columnChildID, "childid": columnChildID, "id": columnChildID, "kind_id": columnChildID, "kindnummer": columnChildID,
	"name": columnName, "child": columnName, "naam": columnName, "kind": columnName,
	"birth_date": columnBirth, "birthdate": columnBirth, "date_of_birth": columnBirth, "geboortedatum": columnBirth,
	"level": columnLevel, "consent": columnLevel, "niveau": columnLevel, "toestemming": columnLevel,
	"date": columnDate, "consent_date": columnDate, "datum": columnDate,
}

// levelNames are the spellings a portal may export for each level.
var levelNames = map[string]ConsentLevel{
	"none": ConsentNone, "no": ConsentNone, "no consent": ConsentNone, "geen": ConsentNone, "nee": ConsentNone, "geen toestemming": ConsentNone,
	"portal": ConsentPortal, "portal only": ConsentPortal, "parent portal": ConsentPortal, "ouderportaal": ConsentPortal, "alleen ouderportaal": ConsentPortal,
	"public": ConsentPublic, "portal and public": ConsentPublic, "publiek": ConsentPublic, "openbaar": ConsentPublic, "ouderportaal en publiek": ConsentPublic,
}

// ParseConsentLevel reads a level as a portal exports it: none, portal or
// public, in English or Dutch, in any case.
func ParseConsentLevel(s string) (ConsentLevel, bool) {
	key := strings.Join(strings.Fields(strings.ToLower(strings.NewReplacer("_", " ", "-", " ").Replace(s))), " ")
	l, ok := levelNames[key]
	return l, ok
}

// ParseDateDMY reads a date as YYYY-MM-DD or as the Dutch DD-MM-YYYY (also
// with / or . between), and refuses days that do not exist.
func ParseDateDMY(s string) (Date, error) {
	s = strings.TrimSpace(s)
	if d, err := ParseDate(s); err == nil {
		return d, nil
	}
	t, err := time.Parse("2-1-2006", strings.NewReplacer("/", "-", ".", "-").Replace(s))
	if err != nil {
		return Date{}, fmt.Errorf("%w: %q, expected YYYY-MM-DD or DD-MM-YYYY", ErrInvalidDate, s)
	}
	return DateOf(t), nil
}

// ParseConsentCSV reads a consent file (see the README). It returns the good
// lines and a LineError for every problem; an import goes ahead only when
// there are none.
func ParseConsentCSV(r io.Reader) ([]ConsentLine, []LineError) {
	raw, err := io.ReadAll(io.LimitReader(r, MaxConsentFile+1))
	if err != nil {
		return nil, []LineError{{Problem: ProblemEncoding, Value: err.Error()}}
	}
	if len(raw) > MaxConsentFile {
		return nil, []LineError{{Problem: ProblemTooLarge, Value: strconv.Itoa(MaxConsentFile)}}
	}
	raw = bytes.TrimPrefix(raw, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(raw) {
		var problems []LineError
		for i, line := range bytes.Split(raw, []byte("\n")) {
			if !utf8.Valid(line) {
				problems = append(problems, LineError{Line: i + 1, Problem: ProblemEncoding})
			}
		}
		return nil, problems
	}

	header, _, _ := bytes.Cut(raw, []byte("\n"))
	cr := csv.NewReader(bytes.NewReader(raw))
	if bytes.Count(header, []byte(";")) > bytes.Count(header, []byte(",")) {
		cr.Comma = ';'
	}
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true

	var (
		lines    []ConsentLine
		problems []LineError
		columns  map[string]int
		width    int
	)
	for {
		record, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		var parseErr *csv.ParseError
		if errors.As(err, &parseErr) {
			problems = append(problems, LineError{Line: parseErr.StartLine, Problem: ProblemQuotes})
			continue
		}
		if err != nil {
			return nil, append(problems, LineError{Problem: ProblemEncoding, Value: err.Error()})
		}
		lineNo, _ := cr.FieldPos(0)
		if strings.TrimSpace(strings.Join(record, "")) == "" {
			continue // spreadsheets export empty rows as ";;;;"
		}
		if columns == nil {
			var headerProblems []LineError
			columns, headerProblems = readConsentHeader(record, lineNo)
			if len(headerProblems) > 0 {
				return nil, append(problems, headerProblems...)
			}
			width = len(record)
			continue
		}
		if len(record) != width {
			problems = append(problems, LineError{Line: lineNo, Problem: ProblemFieldCount, Value: strconv.Itoa(len(record)), Want: width})
			continue
		}
		line, lineProblems := readConsentLine(record, columns, lineNo)
		if len(lineProblems) > 0 {
			problems = append(problems, lineProblems...)
			continue
		}
		lines = append(lines, line)
	}
	if len(lines) == 0 && len(problems) == 0 {
		problems = append(problems, LineError{Problem: ProblemEmpty})
	}
	return lines, problems
}

// readConsentHeader maps each known column to its field index.
func readConsentHeader(record []string, lineNo int) (map[string]int, []LineError) {
	columns := map[string]int{}
	var problems []LineError
	for i, name := range record {
		key := strings.Join(strings.Fields(strings.ToLower(strings.NewReplacer("-", " ", "_", " ").Replace(name))), "_")
		column, known := columnNames[key]
		if !known {
			continue // a portal may export more columns than the import needs
		}
		if _, twice := columns[column]; twice {
			problems = append(problems, LineError{Line: lineNo, Problem: ProblemDoubleColumn, Value: column})
		}
		columns[column] = i
	}
	for _, need := range []string{columnLevel, columnDate} {
		if _, ok := columns[need]; !ok {
			problems = append(problems, LineError{Line: lineNo, Problem: ProblemMissingColumn, Value: need})
		}
	}
	_, hasID := columns[columnChildID]
	_, hasName := columns[columnName]
	_, hasBirth := columns[columnBirth]
	if !hasID && !(hasName && hasBirth) {
		// A slice, not a map: the problems come out in the same order every time.
		for _, c := range []struct {
			column string
			has    bool
		}{{columnName, hasName}, {columnBirth, hasBirth}} {
			if !c.has {
				problems = append(problems, LineError{Line: lineNo, Problem: ProblemMissingColumn, Value: c.column})
			}
		}
	}
	return columns, problems
}

func readConsentLine(record []string, columns map[string]int, lineNo int) (ConsentLine, []LineError) {
	field := func(column string) string {
		if i, ok := columns[column]; ok {
			return strings.TrimSpace(record[i])
		}
		return ""
	}
	line := ConsentLine{Line: lineNo, Name: strings.Join(strings.Fields(field(columnName)), " ")}
	var problems []LineError
	fail := func(p ImportProblem, value string) {
		problems = append(problems, LineError{Line: lineNo, Problem: p, Value: value})
	}
	if text := field(columnChildID); text != "" {
		id, err := strconv.ParseUint(text, 10, 64)
		if err != nil || id == 0 {
			fail(ProblemChildID, text)
		}
		line.ChildID = ID(id)
	}
	if text := field(columnBirth); text != "" {
		d, err := ParseDateDMY(text)
		if err != nil {
			fail(ProblemBirthDate, text)
		}
		line.BirthDate = d
	}
	if line.ChildID == 0 && (line.Name == "" || line.BirthDate.IsZero()) && len(problems) == 0 {
		fail(ProblemNoChild, "")
	}
	level, ok := ParseConsentLevel(field(columnLevel))
	if !ok {
		fail(ProblemUnknownLevel, field(columnLevel))
	}
	line.Level = level
	given, err := ParseDateDMY(field(columnDate))
	if err != nil {
		fail(ProblemDate, field(columnDate))
	}
	line.Given = given
	return line, problems
}

// ConsentImportResult counts what an import did.
type ConsentImportResult struct {
	Imported  int // answers appended to a history
	Unchanged int // lines already in the child's history (the file was imported before)
}

// MatchConsentLines matches the lines of a consent file to the children
// (C1): a line's child_id must name a child whose name and birth date, if
// the line gives them, agree; a line without one must name exactly one
// child by name and birth date. Each line becomes an answer from the parent
// app recorded by by at now; problems are the lines that match no child, or
// more than one, or give a day after now.
func MatchConsentLines(lines []ConsentLine, children []Child, by, note string, now time.Time) ([]ConsentChange, []LineError) {
	today := DateOf(now)
	byID := map[ID]Child{}
	byName := map[string][]ID{}
	for _, c := range children {
		byID[c.ID] = c
		key := ChildMatchKey(c.Name(), c.BirthDate)
		byName[key] = append(byName[key], c.ID)
	}
	var problems []LineError
	changes := make([]ConsentChange, 0, len(lines))
	for _, l := range lines {
		who := l.Name + " (" + l.BirthDate.String() + ")" // a line without id has both
		childID := l.ChildID
		switch found := byName[ChildMatchKey(l.Name, l.BirthDate)]; {
		case childID != 0:
			c, ok := byID[childID]
			switch {
			case !ok:
				problems = append(problems, LineError{Line: l.Line, Problem: ProblemUnknownChild, Value: strconv.FormatUint(uint64(childID), 10)})
			case l.Name != "" && ChildMatchKey(l.Name, Date{}) != ChildMatchKey(c.Name(), Date{}),
				!l.BirthDate.IsZero() && l.BirthDate != c.BirthDate:
				problems = append(problems, LineError{Line: l.Line, Problem: ProblemMismatch, Value: strconv.FormatUint(uint64(childID), 10)})
			}
		case len(found) == 0:
			problems = append(problems, LineError{Line: l.Line, Problem: ProblemUnknownChild, Value: who})
		case len(found) > 1:
			problems = append(problems, LineError{Line: l.Line, Problem: ProblemAmbiguous, Value: who})
		default:
			childID = found[0]
		}
		if l.Given.After(today) {
			problems = append(problems, LineError{Line: l.Line, Problem: ProblemFutureDate, Value: l.Given.String()})
		}
		changes = append(changes, ConsentChange{ChildID: childID, Level: l.Level, Given: l.Given,
			Source: ConsentFromParentApp, RecordedBy: by, RecordedAt: now, Note: note})
	}
	return changes, problems
}

// ChildMatchKey matches a child by name and birth date the way a portal may
// spell the name: any case, any spacing, with or without accents (Zoë, Zoe).
func ChildMatchKey(name string, birth Date) string {
	plain, _, err := transform.String(transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC), name)
	if err != nil {
		plain = name
	}
	return strings.Join(strings.Fields(strings.ToLower(plain)), " ") + "|" + birth.String()
}

// ConsentRecorded reports whether a history already holds the same answer
// from the same source on the same day, so importing a file twice adds nothing.
func ConsentRecorded(history []ConsentChange, c ConsentChange) bool {
	for _, h := range history {
		if h.Level == c.Level && h.Given == c.Given && h.Source == c.Source {
			return true
		}
	}
	return false
}
