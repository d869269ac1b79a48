package ui

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"locatiedesk/data"
)

// namesOf lists what a picker shows for items.
func namesOf[T any](items []T, name func(T) string) []string {
	names := make([]string, len(items))
	for i, item := range items {
		names[i] = name(item)
	}
	return names
}

func locationName(l data.Location) string { return l.Name }

func groupName(g data.Group) string { return g.Name }

// offer puts options in a picker and chooses the first, which runs the
// picker's OnChanged; it reports whether there was anything to choose.
// Keep what the options index before calling it: OnChanged reads it.
func offer(sel *widget.Select, options []string) bool {
	sel.SetOptions(options)
	if len(options) == 0 {
		return false
	}
	sel.SetSelectedIndex(0)
	return true
}

// pickDate shows a month calendar over the window at day; a tap on a day
// closes it and calls chosen, Cancel (or Escape) closes it without a choice.
func pickDate(w fyne.Window, day data.Date, chosen func(data.Date)) {
	var popup *widget.PopUp
	var pop func()
	hide := func() {
		pop()
		popup.Hide()
	}
	cal := widget.NewCalendar(day.Time(0, time.Local), func(t time.Time) {
		hide()
		chosen(data.DateOf(t))
	})
	_, cancel := newTouchButton(lang.L("Cancel"), theme.CancelIcon(), hide)
	popup = widget.NewModalPopUp(container.NewVBox(cal, cancel), w.Canvas())
	pop = pushKeys(w.Canvas(), &dialogKeys{cancel: hide})
	popup.Show()
}
