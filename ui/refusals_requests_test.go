package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"locatiedesk/data"
)

// TestRefusals_L1_RequestsInTheUsersLanguage: the refusals of requests,
// credit, absences and holiday contracts, the typed ones too, reach the
// Dutch window in Dutch with their values.
func TestRefusals_L1_RequestsInTheUsersLanguage(t *testing.T) {
	test.NewTempApp(t)
	day := data.NewDate(2026, time.March, 11)
	may := data.SchoolHoliday{Name: "meivakantie", From: data.NewDate(2026, time.April, 18)}
	tooLate := data.CheckHolidayContractDeadline(data.NewDate(2026, time.March, 15), may, data.DefaultSettings())
	for _, tc := range []struct {
		name string
		err  error
		nl   string
		en   string
	}{
		{"Capacity", data.CheckCapacity(data.Group{Name: "Rupsjes", Capacity: 12}, day, 12, false),
			"12 van de 12 plaatsen in Rupsjes zijn op woensdag 11 maart 2026 bezet",
			"12 of 12 places are taken in Rupsjes on Wednesday 11 March 2026"},
		{"PaymentChanged", &data.PaymentChangedError{Cause: data.ErrOverdrawn},
			"Een andere aanvraag heeft zojuist het tegoed van dit kind gebruikt.",
			"Another request has just used this child's credit."},
		{"HolidayDeadline", tooLate,
			"Te laat: een vakantiecontract voor de meivakantie (vanaf zaterdag 18 april 2026) moest uiterlijk zaterdag 14 maart 2026 geregeld zijn.",
			"Too late: a holiday contract for the meivakantie (from Saturday 18 April 2026) had to be arranged by Saturday 14 March 2026."},
		{"CreditSpent", &data.CreditSpentError{AbsenceDate: day, Minutes: 90},
			"De afwezigheid van woensdag 11 maart 2026 leverde tegoed op waarvan al 1:30 uur extra opvang betaalt",
			"The absence of Wednesday 11 March 2026 earned credit of which 1:30 hours"},
		{"Window", data.RequestWindow(day, day.AddDays(30), data.ChannelOffice, data.DefaultSettings()),
			"Aanvragen voor vrijdag 10 april 2026 kunnen vanaf vrijdag 13 maart 2026.",
			"Requests for Friday 10 April 2026 open on Friday 13 March 2026."},
		{"Undo", data.CheckUndo(data.Request{Status: data.StatusOpen}, "Anouk", time.Now()),
			"Deze aanvraag is niet goedgekeurd of afgewezen",
			"This request is not approved or rejected"},
	} {
		for _, lc := range []struct{ language, want string }{{LanguageDutch, tc.nl}, {LanguageEnglish, tc.en}} {
			if err := UseLanguage(lc.language); err != nil {
				t.Fatal(err)
			}
			if got := userMessage(tc.err); !strings.Contains(got, lc.want) {
				t.Errorf("%s in %s: %q, want %q in it", tc.name, lc.language, got, lc.want)
			}
		}
	}
}
