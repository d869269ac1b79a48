package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"
)

// dialogEntry is an entry in a form dialog: Enter confirms the dialog and
// Escape cancels it, also while the entry has the keyboard.
type dialogEntry struct {
	widget.Entry
	onEscape func()
}

func newDialogEntry() *dialogEntry {
	e := &dialogEntry{}
	e.ExtendBaseWidget(e)
	return e
}

func newDialogPassword() *dialogEntry {
	e := newDialogEntry()
	e.Password = true
	return e
}

// TypedKey cancels on Escape and types everything else.
func (e *dialogEntry) TypedKey(k *fyne.KeyEvent) {
	if k.Name == fyne.KeyEscape && e.onEscape != nil {
		e.onEscape()
		return
	}
	e.Entry.TypedKey(k)
}

// showFormDialog shows a form whose entries confirm on Enter and cancel on
// Escape (as does Escape with nothing focused); onSave runs on confirm.
func showFormDialog(w fyne.Window, title, confirm string, items []*widget.FormItem, onSave func()) *dialog.FormDialog {
	d := dialog.NewForm(title, confirm, lang.L("Cancel"), items, func(ok bool) {
		if ok {
			onSave()
		}
	}, w)
	for _, it := range items {
		if e, ok := it.Widget.(*dialogEntry); ok {
			e.OnSubmitted = func(string) { d.Submit() }
			e.onEscape = d.Dismiss
		}
	}
	canvas := w.Canvas()
	previous := canvas.OnTypedKey()
	canvas.SetOnTypedKey(func(k *fyne.KeyEvent) {
		if k.Name == fyne.KeyEscape {
			d.Dismiss()
		}
	})
	d.SetOnClosed(func() { canvas.SetOnTypedKey(previous) })
	d.Resize(fyne.NewSize(min(w.Canvas().Size().Width-40, 560), 0))
	d.Show()
	return d
}
