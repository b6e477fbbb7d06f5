def form_errors(form) -> list[str]:
    """A form's errors as sentences naming the field by its label ("From: That date does not exist.")."""
    messages = []
    for name, errors in form.errors.items():
        field = form.fields.get(name)
        label = f"{field.label or name.capitalize()}: " if field else ""
        messages.extend(f"{label}{error}" for error in errors)
    return messages
