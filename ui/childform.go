package ui

import (
	"bytes"
	"context"
	"errors"
	"image"
	"io"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"locatiedesk/data"
)

// childForm adds a child or edits one: name, birth date, school (for BSO),
// the planning system's number, a picture from a file, and the parents and
// contacts, one row each. Saving asks first, saying what will change.
type childForm struct {
	store  data.Store
	window fyne.Window
	jobs   *jobs
	// base is the child as stored; a zero ID adds a new child.
	base data.Child
	// saved runs after a successful save with the child as stored.
	saved func(data.Child)

	firstName, lastName, birthDate, number *keyEntry
	schoolSelect                           *widget.Select
	schools                                []data.School
	avatar                                 *avatar
	picture                                []byte
	pictureNote                            *widget.Label
	contacts                               []*contactRow
	contactsBox                            *fyne.Container
	problem                                *widget.Label
	dialog                                 *keyedDialog
}

// contactRow is one contact in the form.
type contactRow struct {
	name, relation, phone, email *keyEntry
	mayCollect                   *widget.Check
	box                          fyne.CanvasObject
}

func newChildForm(store data.Store, window fyne.Window, jobs *jobs, base data.Child, saved func(data.Child)) *childForm {
	return &childForm{store: store, window: window, jobs: jobs, base: base, saved: saved, picture: base.Picture}
}

func (f *childForm) buildUI() fyne.CanvasObject {
	f.firstName, f.lastName = newKeyEntry(""), newKeyEntry("")
	f.firstName.SetText(f.base.FirstName)
	f.lastName.SetText(f.base.LastName)
	f.birthDate = newDateKeyEntry(f.base.BirthDate)
	f.number = newKeyEntry(lang.L("as in the planning system"))
	f.number.SetText(f.base.Number)
	f.schoolSelect = &widget.Select{PlaceHolder: lang.L("No school (daycare)")}
	f.schoolSelect.Options = []string{lang.L("No school (daycare)")}
	f.schoolSelect.SetSelectedIndex(0)
	load(f.jobs, nil, f.store.Schools, func(schools []data.School, err error) {
		if err != nil {
			fyne.LogError("schools", err)
		}
		f.schools = schools
		f.schoolSelect.Options = append([]string{lang.L("No school (daycare)")}, namesOf(schools, func(s data.School) string { return s.Name })...)
		if i := slices.IndexFunc(schools, func(s data.School) bool { return s.ID == f.base.SchoolID }); i >= 0 {
			f.schoolSelect.SetSelectedIndex(i + 1)
		}
	})

	f.avatar = newAvatar()
	f.avatar.set(f.base.Initials(), f.picture)
	f.pictureNote = &widget.Label{Wrapping: fyne.TextWrapWord}
	_, choose := newTouchButton(lang.L("Choose picture…"), theme.FolderOpenIcon(), f.onChoosePicture)
	_, remove := newTouchButton(lang.L("No picture"), theme.DeleteIcon(), func() { f.setPicture(nil) })
	picture := container.NewBorder(nil, nil, f.avatar, nil, container.NewVBox(container.NewHBox(choose, remove), f.pictureNote))

	form := widget.NewForm(
		widget.NewFormItem(lang.L("First name"), touchable(f.firstName, 240)),
		widget.NewFormItem(lang.L("Last name"), touchable(f.lastName, 240)),
		widget.NewFormItem(lang.L("Birth date"), touchable(f.birthDate, 200)),
		widget.NewFormItem(lang.L("School (BSO)"), touchable(f.schoolSelect, 240)),
		widget.NewFormItem(lang.L("Child number"), touchable(f.number, 240)),
		widget.NewFormItem(lang.L("Picture"), picture))

	f.contactsBox = container.NewVBox()
	for _, c := range f.base.Contacts {
		f.addContactRow(c)
	}
	_, add := newTouchButton(lang.L("Add contact"), theme.ContentAddIcon(), func() {
		r := f.addContactRow(data.Contact{})
		f.window.Canvas().Focus(r.name)
	})
	f.problem = &widget.Label{Wrapping: fyne.TextWrapWord, Importance: widget.DangerImportance}
	return container.NewVBox(form, widget.NewSeparator(),
		boldLabel(lang.L("Parents and contacts")), f.contactsBox, container.NewHBox(add), f.problem)
}

func (f *childForm) addContactRow(c data.Contact) *contactRow {
	r := &contactRow{name: newKeyEntry(lang.L("Name")), relation: newKeyEntry(lang.L("Relation, e.g. mother")),
		phone: newKeyEntry(lang.L("Phone")), email: newKeyEntry(lang.L("E-mail"))}
	r.name.SetText(c.Name)
	r.relation.SetText(c.Relation)
	r.phone.SetText(c.Phone)
	r.email.SetText(c.Email)
	r.mayCollect = &widget.Check{Text: lang.L("May collect the child"), Checked: c.MayCollect}
	_, remove := newTouchButton(lang.L("Remove contact"), theme.DeleteIcon(), func() { f.removeContactRow(r) })
	r.box = container.NewVBox(
		container.NewGridWithColumns(2, touchable(r.name, 0), touchable(r.relation, 0)),
		container.NewGridWithColumns(2, touchable(r.phone, 0), touchable(r.email, 0)),
		container.NewBorder(nil, nil, nil, remove, touchCheck(r.mayCollect)),
		widget.NewSeparator())
	if f.dialog != nil {
		for _, e := range []*keyEntry{r.name, r.relation, r.phone, r.email} {
			e.OnSubmitted = func(string) { f.dialog.submit() }
			e.onEscape = f.dialog.cancel
		}
	}
	f.contacts = append(f.contacts, r)
	f.contactsBox.Add(r.box)
	return r
}

func (f *childForm) removeContactRow(r *contactRow) {
	f.contacts = slices.DeleteFunc(f.contacts, func(x *contactRow) bool { return x == r })
	f.contactsBox.Remove(r.box)
}

func (f *childForm) entries() []*keyEntry {
	out := []*keyEntry{f.firstName, f.lastName, f.birthDate, f.number}
	for _, r := range f.contacts {
		out = append(out, r.name, r.relation, r.phone, r.email)
	}
	return out
}

// show opens the form; the title says whether it adds or edits.
func (f *childForm) show() {
	content := f.buildUI()
	title, confirm := lang.L("Edit {{.Name}}", map[string]any{"Name": f.base.Name()}), lang.L("Save")
	if f.base.ID == 0 {
		title, confirm = lang.L("Add a child"), lang.L("Add")
	}
	f.dialog = newKeyedDialog(f.window, title, confirm, container.NewVScroll(content), f.entries(), f.onSave)
	f.dialog.resize(fyne.NewSize(680, 800))
}

func (f *childForm) onChoosePicture() {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil {
			f.pictureNote.SetText(err.Error())
			return
		}
		if r == nil {
			return // cancelled
		}
		f.jobs.write(func(ctx context.Context) {
			img, err := readPicture(r)
			r.Close()
			fyne.Do(func() {
				if err != nil {
					f.pictureNote.Importance = widget.DangerImportance
					f.pictureNote.SetText(err.Error())
					return
				}
				f.setPicture(img)
			})
		})
	}, f.window)
	d.SetFilter(storage.NewExtensionFileFilter([]string{".png", ".jpg", ".jpeg", ".PNG", ".JPG", ".JPEG"}))
	d.Show()
}

// readPicture reads a portrait file: a PNG or JPEG no larger than the store takes.
func readPicture(r io.Reader) ([]byte, error) {
	img, err := io.ReadAll(io.LimitReader(r, data.MaxPictureBytes+1))
	if err != nil {
		return nil, err
	}
	if len(img) > data.MaxPictureBytes {
		return nil, errors.New(lang.L("This picture is larger than {{.Size}} MB; choose a smaller one.", map[string]any{"Size": data.MaxPictureBytes >> 20}))
	}
	if _, format, err := image.DecodeConfig(bytes.NewReader(img)); err != nil || (format != "png" && format != "jpeg") {
		return nil, errors.New(lang.L("This file is not a picture. Choose a PNG or JPEG file."))
	}
	return img, nil
}

func (f *childForm) setPicture(img []byte) {
	f.picture = img
	f.pictureNote.Importance = widget.MediumImportance
	f.pictureNote.SetText("")
	f.avatar.set(f.base.Initials(), img)
}

// child reads the form; a field that cannot be read says which.
func (f *childForm) child() (data.Child, error) {
	c := f.base
	c.FirstName, c.LastName = strings.TrimSpace(f.firstName.Text), strings.TrimSpace(f.lastName.Text)
	c.Number = strings.TrimSpace(f.number.Text)
	if c.FirstName == "" || c.LastName == "" {
		return c, errors.New(lang.L("Enter the child's first and last name."))
	}
	var err error
	if c.BirthDate, err = parseUserDate(f.birthDate.Text); err != nil {
		return c, errors.New(lang.L("Birth date:") + " " + err.Error())
	}
	c.SchoolID = 0
	if i := f.schoolSelect.SelectedIndex(); i > 0 {
		c.SchoolID = f.schools[i-1].ID
	}
	c.Contacts = nil
	for _, r := range f.contacts {
		p := data.Contact{Name: strings.TrimSpace(r.name.Text), Relation: strings.TrimSpace(r.relation.Text),
			Phone: strings.TrimSpace(r.phone.Text), Email: strings.TrimSpace(r.email.Text), MayCollect: r.mayCollect.Checked}
		if p == (data.Contact{}) {
			continue // an empty row added by mistake
		}
		if p.Name == "" {
			return c, errors.New(lang.L("Every contact needs a name."))
		}
		c.Contacts = append(c.Contacts, p)
	}
	c.Picture = f.picture
	return c, nil
}

func (f *childForm) onSave() bool {
	c, err := f.child()
	if err != nil {
		f.problem.SetText(err.Error())
		return false
	}
	f.problem.SetText("")
	if f.base.ID == 0 {
		text := lang.N("Add {{.Name}}, born {{.Born}}, with {{.Count}} contact. Contracts are added on the child's card next.", len(c.Contacts),
			map[string]any{"Name": c.Name(), "Born": shortDate(c.BirthDate), "Count": len(c.Contacts)})
		confirmAction(f.window, lang.L("Add a child"), text, lang.L("Add"), func() { f.save(c) })
		return false
	}
	changes := childChanges(f.base, c)
	if len(changes) == 0 {
		return true // nothing to save
	}
	text := lang.L("Save these changes for {{.Name}}: {{.Changes}}.", map[string]any{"Name": c.Name(), "Changes": strings.Join(changes, "; ")})
	confirmAction(f.window, lang.L("Save changes"), text, lang.L("Save"), func() { f.save(c) })
	return false
}

// childChanges names what differs between the stored child and the form.
func childChanges(old, c data.Child) []string {
	var out []string
	if old.FirstName != c.FirstName || old.LastName != c.LastName {
		out = append(out, lang.L("name {{.Old}} → {{.New}}", map[string]any{"Old": old.Name(), "New": c.Name()}))
	}
	if old.BirthDate != c.BirthDate {
		out = append(out, lang.L("birth date {{.Date}}", map[string]any{"Date": shortDate(c.BirthDate)}))
	}
	if old.SchoolID != c.SchoolID {
		out = append(out, lang.L("school"))
	}
	if old.Number != c.Number {
		out = append(out, lang.L("child number {{.Number}}", map[string]any{"Number": c.Number}))
	}
	if !slices.Equal(old.Contacts, c.Contacts) {
		out = append(out, lang.L("parents and contacts ({{.Count}})", map[string]any{"Count": len(c.Contacts)}))
	}
	if !bytes.Equal(old.Picture, c.Picture) {
		out = append(out, lang.L("picture"))
	}
	return out
}

// save writes the child off the UI goroutine; the form closes only when it
// is stored, so a refusal keeps what was typed.
func (f *childForm) save(c data.Child) {
	old := f.base
	f.jobs.write(func(ctx context.Context) {
		var err error
		if c.ID == 0 {
			c, err = f.store.AddChild(ctx, c)
		} else {
			c.Picture = nil
			if err = f.store.UpdateChild(ctx, c); err == nil && !bytes.Equal(old.Picture, f.picture) {
				err = f.store.SetChildPicture(ctx, c.ID, f.picture)
			}
		}
		fyne.Do(func() {
			if err != nil {
				f.problem.SetText(userMessage(err))
				return
			}
			f.dialog.cancel()
			if f.saved != nil {
				f.saved(c)
			}
		})
	})
}
