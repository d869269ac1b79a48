package ui

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"locatiedesk/data"
)

// settingsForm edits every number the rules read (data.Settings), for
// managers: checked as the store checks them before anything is saved.
type settingsForm struct {
	store  data.Store
	window fyne.Window
	jobs   *jobs

	entries           map[string]*widget.Entry // by setting name (data.SettingLimits)
	holFrom, holUntil *widget.Entry
	message           *widget.Label
	saveButton        *widget.Button
	loaded            data.Settings
	settingsLoad      latest
}

func newSettingsForm(store data.Store, w fyne.Window, jobs *jobs) *settingsForm {
	return &settingsForm{store: store, window: w, jobs: jobs, entries: map[string]*widget.Entry{}}
}

func (f *settingsForm) buildUI() fyne.CanvasObject {
	form := widget.NewForm()
	for _, l := range data.SettingLimits {
		e := &widget.Entry{OnSubmitted: func(string) { f.onSave() }}
		f.entries[l.Setting] = e
		form.Append(settingLabel(l.Setting), e)
	}
	f.holFrom = &widget.Entry{PlaceHolder: lang.L("HH:MM"), OnSubmitted: func(string) { f.onSave() }}
	f.holUntil = &widget.Entry{PlaceHolder: lang.L("HH:MM"), OnSubmitted: func(string) { f.onSave() }}
	form.Append(settingLabel("holidayDay"), container.NewGridWithColumns(2, f.holFrom, f.holUntil))
	f.message = &widget.Label{Importance: widget.DangerImportance, Wrapping: fyne.TextWrapWord}
	var saveBox fyne.CanvasObject
	f.saveButton, saveBox = newTouchButton(lang.L("Save settings"), theme.DocumentSaveIcon(), f.onSave)
	f.saveButton.Importance = widget.HighImportance
	intro := &widget.Label{Text: lang.L("The numbers the rules work with. Every change is logged with its old and new value."), Wrapping: fyne.TextWrapWord}
	f.load()
	return container.NewBorder(intro, container.NewVBox(f.message, container.NewHBox(saveBox)), nil, nil, container.NewVScroll(form))
}

// load shows the stored settings.
func (f *settingsForm) load() {
	load(f.jobs, &f.settingsLoad, f.store.Settings, f.show)
}

// show fills the form with the settings loaded.
func (f *settingsForm) show(s data.Settings, err error) {
	if err != nil {
		f.message.SetText(userMessage(err))
		return
	}
	f.loaded = s
	for _, l := range data.SettingLimits {
		f.entries[l.Setting].SetText(strconv.FormatFloat(l.Value(s), 'f', -1, 64))
	}
	f.holFrom.SetText(s.HolidayDay.From.String())
	f.holUntil.SetText(s.HolidayDay.Until.String())
	f.message.SetText("")
}

// read turns the form into settings, or says which field is not a number.
func (f *settingsForm) read() (data.Settings, error) {
	s := f.loaded
	num := func(name string) (float64, error) {
		text := strings.ReplaceAll(strings.TrimSpace(f.entries[name].Text), ",", ".")
		v, err := strconv.ParseFloat(text, 64)
		if err != nil {
			return 0, errors.New(lang.L("{{.Setting}}: write a number.", map[string]any{"Setting": settingLabel(name)}))
		}
		return v, nil
	}
	ints := map[string]*int{
		"parentRequestFromDays": &s.ParentRequestFromDays, "parentRequestUntilDays": &s.ParentRequestUntilDays,
		"absenceNoticeHours": &s.AbsenceNoticeHours, "creditExpiryDays": &s.CreditExpiryDays,
		"holidayContractWeeks": &s.HolidayContractWeeks, "studyDayMinimum": &s.StudyDayMinimum,
		"backupDays": &s.BackupDays, "signInAttempts": &s.SignInAttempts, "lockoutMinutes": &s.LockoutMinutes,
		"autoLockMinutes": &s.AutoLockMinutes, "retentionMonths": &s.RetentionMonths,
	}
	for _, l := range data.SettingLimits {
		v, err := num(l.Setting)
		if err != nil {
			return s, err
		}
		if p, ok := ints[l.Setting]; ok {
			if v != float64(int(v)) {
				return s, errors.New(lang.L("{{.Setting}}: write a whole number.", map[string]any{"Setting": settingLabel(l.Setting)}))
			}
			*p = int(v)
		} else {
			s.MaxCreditHours = v
		}
	}
	hours, err := readRange(f.holFrom.Text, f.holUntil.Text)
	if err != nil || hours == (data.TimeRange{}) {
		return s, errors.New(lang.L("Write the holiday day as two times HH:MM."))
	}
	s.HolidayDay = hours
	return s, nil
}

func (f *settingsForm) onSave() {
	s, err := f.read()
	if err == nil {
		err = s.Validate()
	}
	if err != nil {
		f.message.SetText(settingMessage(err))
		return
	}
	f.message.SetText("")
	f.saveButton.Disable()
	f.jobs.write(func(ctx context.Context) {
		err := f.store.SaveSettings(ctx, s)
		fyne.Do(func() {
			f.saveButton.Enable()
			if err != nil {
				f.message.SetText(settingMessage(err))
				return
			}
			f.loaded = s
			showInfo(lang.L("Settings"), lang.L("The settings are saved."), f.window)
		})
	})
}

// settingMessage says in the user's language what is wrong with a setting.
func settingMessage(err error) string {
	var se *data.SettingError
	if !errors.As(err, &se) {
		if errors.Is(err, data.ErrInvalid) || errors.Is(err, data.ErrForbidden) {
			return userMessage(err)
		}
		return err.Error() // already a sentence of read
	}
	switch se.Problem {
	case data.ProblemWindow:
		return lang.L("The parents' request window runs from more days before the day to fewer, such as from 28 until 4 days.")
	case data.ProblemHours:
		return lang.L("{{.Setting}}: the hours end before they start.", map[string]any{"Setting": settingLabel(se.Setting)})
	}
	return lang.L("{{.Setting}} must lie between {{.Min}} and {{.Max}}.", map[string]any{"Setting": settingLabel(se.Setting), "Min": se.Min, "Max": se.Max})
}

// settingLabel names a setting as the form shows it.
func settingLabel(name string) string {
	switch name {
	case "parentRequestFromDays":
		return lang.L("Parents request from (days before)")
	case "parentRequestUntilDays":
		return lang.L("Parents request until (days before)")
	case "absenceNoticeHours":
		return lang.L("Absence notice for credit (hours)")
	case "maxCreditHours":
		return lang.L("Maximum absence credit (hours)")
	case "creditExpiryDays":
		return lang.L("Absence credit expires after (days)")
	case "holidayContractWeeks":
		return lang.L("Holiday contracts before a holiday (weeks)")
	case "studyDayMinimum":
		return lang.L("Study day minimum (sign-ups)")
	case "backupDays":
		return lang.L("Daily backups kept")
	case "signInAttempts":
		return lang.L("Wrong PINs before lock-out")
	case "lockoutMinutes":
		return lang.L("Lock-out (minutes)")
	case "autoLockMinutes":
		return lang.L("Tablet locks after (minutes)")
	case "retentionMonths":
		return lang.L("Keep personal data after care ends (months)")
	case "holidayDay":
		return lang.L("Holiday day (opens, closes)")
	}
	return name
}
