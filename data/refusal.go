package data

import (
	"errors"
	"fmt"
	"maps"
	"strings"
	"text/template"
)

// Refusal is input or a write that a rule refuses, as a code and the values
// its sentence needs, so that every screen says it in its own language and a
// network client can carry it whole. Error gives the English sentence, for
// the command line and logs.
type Refusal struct {
	Code string
	// Args are the values the sentence names: strings, numbers, Dates and
	// Clocks, under the names the catalog's text uses ({{.Name}}).
	Args Args
}

// Args are a refusal's values by name.
type Args map[string]any

// RefusalText is one code of the catalog: its English sentence, a
// text/template over the refusal's Args, and the error it counts as.
type RefusalText struct {
	Text string
	// Kind is what errors.Is finds the refusal to be: ErrInvalid unless set.
	Kind error
}

// refusalCatalogs are the codes of every area of the rules; a code is unique
// across all of them (TestRefusals_CodesAreUnique).
var refusalCatalogs = []map[string]RefusalText{organisationRefusals,
	requestRefusals, absenceRefusals, holidayRefusals, invoiceRefusals, presentRefusals,
	attendanceRefusals, studyDayRefusals, dateRefusals, calendarRefusals, calendarFileRefusals, historyRefusals,
	childRefusals, accountRefusals, consentRefusals, backupRefusals, deviceRefusals, offlineRefusals}

var refusals = func() map[string]RefusalText {
	all := map[string]RefusalText{}
	for _, c := range refusalCatalogs {
		maps.Copy(all, c)
	}
	return all
}()

// RefusalCatalog is every code with its English sentence, for the screens'
// translations and their test.
func RefusalCatalog() map[string]RefusalText { return maps.Clone(refusals) }

// Refuse is the refusal code with its values.
func Refuse(code string, args Args) error { return &Refusal{Code: code, Args: args} }

func (r *Refusal) Error() string {
	text, ok := refusals[r.Code]
	if !ok {
		return fmt.Sprintf("%v: %s %v", ErrInvalid, r.Code, r.Args)
	}
	var b strings.Builder
	t, err := template.New(r.Code).Option("missingkey=zero").Parse(text.Text)
	if err == nil {
		err = t.Execute(&b, r.Args)
	}
	if err != nil {
		return fmt.Sprintf("%v: %s %v", ErrInvalid, r.Code, r.Args)
	}
	return b.String()
}

// Is makes errors.Is(err, ErrInvalid) (or the code's own kind) true.
func (r *Refusal) Is(target error) bool {
	kind := refusals[r.Code].Kind
	if kind == nil {
		kind = ErrInvalid
	}
	return target == kind || errors.Is(kind, target)
}
