package ui

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"locatiedesk/assets"
	"locatiedesk/data"
)

// TestRefusals_L1_PeopleValuesInTheUsersWords: a refusal's products,
// weekdays and dates are written as the screens write them, and an import
// line refused by the contract rule says why in the user's language.
func TestRefusals_L1_PeopleValuesInTheUsersWords(t *testing.T) {
	test.NewTempApp(t)
	if err := UseLanguage(LanguageDutch); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = UseLanguage(LanguageEnglish) })
	for _, tc := range []struct {
		name string
		err  error
		want string
	}{
		{"a product", data.Refuse(data.RefuseContractCreditNoDays, data.Args{"Product": data.ProductBSOHoliday}),
			"Het product BSO vakantiecontract geeft tegoed, geen weekdagen met tijden."},
		{"a weekday", data.Refuse(data.RefuseContractTimes, data.Args{"Weekday": time.Monday}),
			"De opvang op maandag eindigt voordat hij begint."},
		{"a date", data.Refuse(data.RefuseChildNothingToEnd, data.Args{"Name": "Zoë Dvořák", "Date": data.NewDate(2026, time.November, 26)}),
			"Zoë Dvořák heeft na donderdag 26 november 2026 geen contract om te beëindigen."},
		{"a lock-out", data.Refuse(data.RefuseLockedOut, data.Args{"Time": data.NewClock(9, 5)}),
			"Te vaak een verkeerde pincode. Probeer het na 09:05 opnieuw, of vraag een collega om aan te melden."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := userMessage(tc.err); got != tc.want {
				t.Errorf("userMessage = %q, want %q", got, tc.want)
			}
		})
	}
	if got, want := signInMessage(data.Refuse(data.RefuseLockedOut, data.Args{"Time": data.NewClock(9, 5)})),
		"Te vaak een verkeerde pincode. Probeer het na 09:05 opnieuw, of vraag een collega om aan te melden."; got != want {
		t.Errorf("signInMessage = %q, want %q: the lock-out says until when", got, want)
	}

	refusal := &data.Refusal{Code: data.RefuseContractNoWeekday, Args: data.Args{"Product": data.ProductKDV}}
	line := data.LineError{Line: 4, Problem: data.ProblemContract, Value: refusal.Error(), Because: refusal}
	if got, want := childImportProblemText(line), "Regel 4: Het contract is niet compleet: Het product KDV heeft minstens één weekdag nodig."; got != want {
		t.Errorf("import line = %q, want %q", got, want)
	}
	line.Because = nil // a problem without a refusal keeps its text
	if got := childImportProblemText(line); !strings.Contains(got, refusal.Error()[:30]) {
		t.Errorf("import line without refusal = %q, want its value %q", got, line.Value)
	}
	// A weekday out of range (a damaged contract) is named, not a panic.
	if got := userMessage(data.Refuse(data.RefuseContractTimes, data.Args{"Weekday": time.Weekday(9)})); !strings.Contains(got, "9") {
		t.Errorf("weekday 9: %q", got)
	}
}

// TestTranslations_L1_OneSentencePerKey: a key in several files (two areas
// refusing with one English sentence) has one translation, or which one the
// window shows would depend on the order the files load in.
func TestTranslations_L1_OneSentencePerKey(t *testing.T) {
	files, err := assets.Translations.ReadDir("translations")
	if err != nil {
		t.Fatal(err)
	}
	first := map[string]string{} // language + key → file that gave it
	seen := map[string]any{}
	for _, f := range files {
		raw, err := assets.Translations.ReadFile("translations/" + f.Name())
		if err != nil {
			t.Fatal(err)
		}
		var messages map[string]any
		if err := json.Unmarshal(raw, &messages); err != nil {
			t.Fatalf("%s: %v", f.Name(), err)
		}
		language := strings.Split(f.Name(), ".")[1]
		for k, v := range messages {
			id := language + " " + k
			if earlier, ok := seen[id]; ok && !reflect.DeepEqual(earlier, v) {
				t.Errorf("%q: %s says %v, %s says %v", k, first[id], earlier, f.Name(), v)
			}
			seen[id], first[id] = v, f.Name()
		}
	}
}
