package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// keyEntry is an entry that also cancels its dialog on Escape; Fyne's own
// entry swallows the key, so a dialog could not hear it while typing.
type keyEntry struct {
	widget.Entry
	onEscape func()
}

func newKeyEntry(placeHolder string) *keyEntry {
	e := &keyEntry{}
	e.PlaceHolder = placeHolder
	e.ExtendBaseWidget(e)
	return e
}

// TypedKey cancels on Escape and types everything else.
func (e *keyEntry) TypedKey(k *fyne.KeyEvent) {
	if k.Name == fyne.KeyEscape && e.onEscape != nil {
		e.onEscape()
		return
	}
	e.Entry.TypedKey(k)
}

// keyedDialog is a dialog with a confirm and a cancel button sized for a
// finger, whose first field has focus; Enter confirms and Escape cancels,
// in a field or anywhere else in the window.
type keyedDialog struct {
	window fyne.Window
	dialog *dialog.CustomDialog
	// onConfirm does the dialog's work; it returns false to keep the dialog
	// open (with what was typed) when the input is refused.
	onConfirm func() bool
	closed    bool
	// popKeys gives Enter and Escape back to what had them before the dialog.
	popKeys func()
}

// newKeyedDialog makes the dialog; entries are its fields, the first gets focus.
func newKeyedDialog(w fyne.Window, title, confirmText string, content fyne.CanvasObject, entries []*keyEntry, onConfirm func() bool) *keyedDialog {
	k := &keyedDialog{window: w, onConfirm: onConfirm}
	k.dialog = dialog.NewCustomWithoutButtons(title, content, w)
	confirm, confirmBox := newTouchButton(confirmText, theme.ConfirmIcon(), k.submit)
	confirm.Importance = widget.HighImportance
	var cancelBox fyne.CanvasObject
	_, cancelBox = newTouchButton(lang.L("Cancel"), theme.CancelIcon(), k.cancel)
	k.dialog.SetButtons([]fyne.CanvasObject{cancelBox, confirmBox})
	for _, e := range entries {
		e.OnSubmitted = func(string) { k.submit() }
		e.onEscape = k.cancel
	}
	k.dialog.SetOnClosed(k.restoreKeys)
	first := fyne.Focusable(nil)
	if len(entries) > 0 {
		first = entries[0]
	}
	k.show(first)
	return k
}

func (k *keyedDialog) show(first fyne.Focusable) {
	c := k.window.Canvas()
	k.popKeys = pushKeys(c, &dialogKeys{confirm: k.submit, cancel: k.cancel})
	k.dialog.Show()
	if first != nil {
		c.Focus(first)
	}
}

// resize asks for size; a smaller window gets a dialog as large as it.
func (k *keyedDialog) resize(size fyne.Size) { k.dialog.Resize(size) }

func (k *keyedDialog) submit() {
	if k.closed {
		return
	}
	if k.onConfirm() {
		k.cancel()
	}
}

func (k *keyedDialog) cancel() {
	if !k.closed {
		k.dialog.Hide()
	}
}

// restoreKeys gives the window its key handler back; a dialog opened over
// this one has restored its own already.
func (k *keyedDialog) restoreKeys() {
	k.closed = true
	k.popKeys()
}

// confirmAction asks whether to do what text describes; Enter confirms,
// Escape cancels.
func confirmAction(w fyne.Window, title, text, confirmText string, do func()) *keyedDialog {
	message := &widget.Label{Text: text, Wrapping: fyne.TextWrapWord}
	var k *keyedDialog
	// Close first, then act: what do closes (the form below) gets the keys back in order.
	k = newKeyedDialog(w, title, confirmText, message, nil, func() bool { k.cancel(); do(); return false })
	k.resize(fyne.NewSize(560, 0))
	return k
}

// touchCheck gives a check box a row of touch height. The box keeps its own
// size in the middle: a check reacts only to taps on its box and text, so
// stretched it would ignore a tap near its top.
func touchCheck(c fyne.CanvasObject) fyne.CanvasObject {
	return touchable(container.NewVBox(layout.NewSpacer(), container.NewHBox(c), layout.NewSpacer()), 0)
}

// escapeCloses makes Escape close d, a dialog without fields of its own
// (the child's card, the import); the window's key handler from before it
// comes back when d closes, after onClosed runs.
func escapeCloses(w fyne.Window, d dialog.Dialog, onClosed func()) {
	pop := pushKeys(w.Canvas(), &dialogKeys{cancel: d.Hide})
	d.SetOnClosed(func() {
		if onClosed != nil {
			onClosed()
		}
		pop()
	})
}
