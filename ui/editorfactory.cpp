#include "ui/editorfactory.h"

#include "widgets/editor/hovertips.h"
#include "widgets/editor/yamlcompletion.h"
#include "widgets/editor/yamleditor.h"
#include "widgets/editor/yamlfilelinks.h"
#include "widgets/editor/yamlvalidation.h"

EditorFactory::YamlEditorParts EditorFactory::createYamlEditor(QWidget *parent)
{
    YamlEditorParts parts;
    parts.editor = new YamlEditor(parent);
    // The hover tip lists what each add-on says in this order: problems, key help, link target.
    parts.validation = new YamlValidation(parts.editor);
    parts.completion = new YamlCompletion(parts.editor);
    parts.fileLinks = new YamlFileLinks(parts.editor);
    parts.hoverTips = new HoverTips(parts.editor);
    return parts;
}
