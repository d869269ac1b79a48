package ui

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"

	"locatiedesk/assets"
	"locatiedesk/data"
)

// translationFiles reads every translations/<screen>.<lang>.json into one map per language.
func translationFiles(t *testing.T) map[string]map[string]any {
	t.Helper()
	files, err := assets.Translations.ReadDir("translations")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]map[string]any{}
	for _, f := range files {
		parts := strings.Split(f.Name(), ".")
		if len(parts) != 3 || parts[2] != "json" {
			t.Fatalf("translation file %q is not named <screen>.<lang>.json", f.Name())
		}
		raw, err := assets.Translations.ReadFile("translations/" + f.Name())
		if err != nil {
			t.Fatal(err)
		}
		var messages map[string]any
		if err := json.Unmarshal(raw, &messages); err != nil {
			t.Fatalf("%s: %v", f.Name(), err)
		}
		if out[parts[1]] == nil {
			out[parts[1]] = map[string]any{}
		}
		for k, v := range messages {
			out[parts[1]][k] = v
		}
	}
	return out
}

// TestTranslations_L1_Complete checks that every string the code localises
// has a Dutch and an English text, and that both languages have the same keys.
func TestTranslations_L1_Complete(t *testing.T) {
	byLang := translationFiles(t)
	nl, en := byLang["nl"], byLang["en"]
	if len(byLang) != 2 || nl == nil || en == nil {
		t.Fatalf("want exactly nl and en translations, have %d languages", len(byLang))
	}
	for k := range nl {
		if _, ok := en[k]; !ok {
			t.Errorf("%q has Dutch but no English", k)
		}
	}
	for k := range en {
		if _, ok := nl[k]; !ok {
			t.Errorf("%q has English but no Dutch", k)
		}
	}
	literal := regexp.MustCompile(`lang\.([LN])\("((?:[^"\\]|\\.)*)"`)
	sources, _ := filepath.Glob("*.go")
	more, _ := filepath.Glob("../cmd/*/*.go")
	for _, path := range append(sources, more...) {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range literal.FindAllStringSubmatch(string(src), -1) {
			if _, ok := nl[m[2]]; !ok {
				t.Errorf("%s: %q has no translation", path, m[2])
			}
			// A message with a count has its singular and its plural in both languages.
			for _, messages := range []map[string]any{nl, en} {
				forms, plural := messages[m[2]].(map[string]any)
				if m[1] == "N" && (!plural || forms["one"] == nil || forms["other"] == nil) {
					t.Errorf("%s: %q is counted but has no one and other form", path, m[2])
				}
				if m[1] == "L" && plural {
					t.Errorf("%s: %q has plural forms but is not counted (lang.N)", path, m[2])
				}
			}
		}
	}
}

func TestUseLanguage_L1_SwitchesBothWays(t *testing.T) {
	test.NewTempApp(t)
	for _, tc := range []struct{ language, want string }{
		{LanguageDutch, "Inchecken"}, {LanguageEnglish, "Check in"}, {LanguageDutch, "Inchecken"},
	} {
		if err := UseLanguage(tc.language); err != nil {
			t.Fatal(err)
		}
		if got := lang.L("Check in"); got != tc.want {
			t.Errorf("after choosing %s: %q, want %q", tc.language, got, tc.want)
		}
	}
	if got := lang.L("Yes"); got != "Ja" {
		t.Errorf("Fyne's own dialog buttons follow the chosen language (Dutch last), got %q", got)
	}
}

// TestRefusals_L1_EverySentenceInBothLanguages: every refusal the rules can
// give has its Dutch and English sentence, naming the same values.
func TestRefusals_L1_EverySentenceInBothLanguages(t *testing.T) {
	byLang := translationFiles(t)
	placeholders := regexp.MustCompile(`{{\s*\.(\w+)\s*}}`)
	names := func(text string) string {
		var found []string
		for _, m := range placeholders.FindAllStringSubmatch(text, -1) {
			found = append(found, m[1])
		}
		slices.Sort(found)
		return strings.Join(slices.Compact(found), ",")
	}
	catalog := data.RefusalCatalog()
	if len(catalog) == 0 {
		t.Fatal("the rules name no refusals")
	}
	for code, text := range catalog {
		for _, language := range []string{"nl", "en"} {
			translated, ok := byLang[language][text.Text].(string)
			if !ok {
				t.Errorf("refusal %s: %q has no %s sentence", code, text.Text, language)
				continue
			}
			if names(translated) != names(text.Text) {
				t.Errorf("refusal %s: %s sentence %q names {%s}, the rule gives {%s}", code, language, translated, names(translated), names(text.Text))
			}
		}
	}
}

func TestRefusals_L1_ShownInTheUsersLanguage(t *testing.T) {
	test.NewTempApp(t)
	err := data.Refuse(data.RefuseCapacity, data.Args{"Name": "Rupsjes", "Max": data.MaxCapacity})
	for _, tc := range []struct{ language, want string }{
		{LanguageDutch, "Groep Rupsjes: het aantal plaatsen is 1 tot 99."},
		{LanguageEnglish, "Group Rupsjes: places must be 1 to 99."},
	} {
		if err := UseLanguage(tc.language); err != nil {
			t.Fatal(err)
		}
		if got := userMessage(err); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.language, got, tc.want)
		}
	}
}
