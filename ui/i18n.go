package ui

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"locatiedesk/assets"
	"locatiedesk/data"
)

// The languages a user can choose in the settings; LanguageSystem follows the computer.
const (
	LanguageSystem  = ""
	LanguageDutch   = "nl"
	LanguageEnglish = "en"
)

// PrefLanguage is the preferences key of the chosen language.
const PrefLanguage = "language"

// chosenLanguage is the language UseLanguage chose last, for what lang does
// not format: numbers.
var chosenLanguage = LanguageEnglish

// UseLanguage loads the app's translations and makes choice the language of
// every string from now on (screens built afterwards show it).
//
// Fyne picks the translation closest to the system locale and offers no call
// to pick another. So a chosen language's messages are also registered under
// the tags that matching can land on (English, the fallback, and the system's
// language); they then win whatever the system says.
func UseLanguage(choice string) error {
	if err := lang.AddTranslationsFS(assets.Translations, "translations"); err != nil {
		return fmt.Errorf("load translations: %w", err)
	}
	if choice == LanguageSystem {
		choice = systemLanguage()
	}
	files, err := fs.Glob(assets.Translations, "translations/*."+choice+".json")
	if err != nil || len(files) == 0 {
		return fmt.Errorf("no translations for language %q", choice)
	}
	chosenLanguage = choice
	for _, name := range files {
		raw, err := assets.Translations.ReadFile(name)
		if err != nil {
			return err
		}
		for _, tag := range []string{LanguageEnglish, LanguageDutch, systemLanguage()} {
			if err := lang.AddTranslationsForLocale(raw, fyne.Locale(tag)); err != nil {
				return fmt.Errorf("load %s: %w", name, err)
			}
		}
	}
	return nil
}

// systemLanguage is the computer's language if the app speaks it, else English.
func systemLanguage() string {
	base, _, _ := strings.Cut(lang.SystemLocale().LanguageString(), "-")
	if base == LanguageDutch {
		return LanguageDutch
	}
	return LanguageEnglish
}

// formatDate writes a date as people read it: "donderdag 26 november 2026".
func formatDate(d data.Date) string {
	weekdays := []string{lang.L("Sunday"), lang.L("Monday"), lang.L("Tuesday"), lang.L("Wednesday"),
		lang.L("Thursday"), lang.L("Friday"), lang.L("Saturday")}
	months := []string{lang.L("January"), lang.L("February"), lang.L("March"), lang.L("April"),
		lang.L("May"), lang.L("June"), lang.L("July"), lang.L("August"), lang.L("September"),
		lang.L("October"), lang.L("November"), lang.L("December")}
	return fmt.Sprintf("%s %d %s %d", weekdays[d.Weekday()], d.Day, months[d.Month-1], d.Year)
}

func absenceReasonText(r data.AbsenceReason) string {
	switch r {
	case data.AbsenceSick:
		return lang.L("Sick")
	case data.AbsenceDayOff:
		return lang.L("Day off")
	default:
		return lang.L("Other reason")
	}
}

// userMessage turns a store error into a sentence for the screen, in the
// user's language where the error is one the store names.
func userMessage(err error) string {
	if text, ok := refusalText(err); ok {
		return text
	}
	switch {
	case errors.Is(err, data.ErrForbidden):
		return lang.L("Your role does not allow this. Ask the location manager.")
	case errors.Is(err, data.ErrLocked):
		return lang.L("This date is locked. Tap Unlock to edit it.")
	case errors.Is(err, data.ErrClosedDay):
		return lang.L("The location is closed on this day.")
	case errors.Is(err, data.ErrNotFound):
		return lang.L("This child is not on the list of this day any more. The list has been brought up to date.")
	case errors.Is(err, data.ErrInvalid):
		return lang.L("This cannot be saved:") + " " + strings.TrimPrefix(err.Error(), data.ErrInvalid.Error()+": ")
	default:
		return lang.L("Something went wrong; nothing was saved.") + " " + err.Error()
	}
}

// refusalText says a refusal of the rules in the user's language: the
// catalog's English sentence is the key of its translation, and its dates,
// weekdays and products are written the way the screens write them.
func refusalText(err error) (string, bool) {
	var r *data.Refusal
	if !errors.As(err, &r) {
		return "", false
	}
	text, ok := data.RefusalCatalog()[r.Code]
	if !ok {
		return "", false
	}
	args := make(map[string]any, len(r.Args))
	for name, v := range r.Args {
		switch v := v.(type) {
		case data.Date:
			args[name] = formatDate(v)
		case *data.Date:
			args[name] = formatDate(*v)
		case data.Product:
			args[name] = contractProductText(v)
		case time.Weekday:
			args[name] = v.String()
			if v >= time.Sunday && v <= time.Saturday {
				args[name] = weekdayName(v)
			}
		default:
			args[name] = v
		}
	}
	return lang.L(text.Text, args), true
}
