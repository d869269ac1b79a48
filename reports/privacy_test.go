package reports

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"locatiedesk/data"
)

// TestPrintedSheets_AVG_OnlyNameGroupAndTimes prints the sheets that hang in
// the location or go round parents with a child whose record holds more
// than they need: a birth date, a school, a picture, a child number. The
// sheets show the name and group (and the sign-up times or consent level),
// nothing else of the child.
func TestPrintedSheets_AVG_OnlyNameGroupAndTimes(t *testing.T) {
	child := data.Child{ID: 4242, LocationID: 1, FirstName: "Zoë", LastName: "Dvořák", BirthDate: data.NewDate(2018, time.February, 14),
		SchoolID: 1, Picture: testPicture(t)}
	signUp := studyDaySheet(3)
	signUp.Rows[1].Child = child
	signUp.Rows[1].SignUp = &data.SignUp{ID: 9, ChildID: child.ID, Times: data.TimeRange{From: data.NewClock(8, 15), Until: data.NewClock(16, 45)}}
	consent := consentSheet(0)
	consent.Rows[0].Child = child

	var consentPDF bytes.Buffer
	if err := ConsentPDF(&consentPDF, consent); err != nil {
		t.Fatal(err)
	}
	for name, pdf := range map[string][]byte{"sign-up sheet": writeSheet(t, signUp), "consent sheet": consentPDF.Bytes()} {
		text := pdfText(t, pdf)
		if !strings.Contains(text, "Zoë Dvořák") {
			t.Errorf("%s lacks the child's name", name)
		}
		for _, private := range []string{"14-02-2018", "2018-02-14", "14 februari 2018", "14/02/2018", "4242"} {
			if strings.Contains(text, private) {
				t.Errorf("%s shows %q", name, private)
			}
		}
		if bytes.Contains(pdf, []byte("/Subtype /Image")) {
			t.Errorf("%s carries the child's picture", name)
		}
	}
}
