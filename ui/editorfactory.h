#pragma once

class QWidget;
class HoverTips;
class YamlCompletion;
class YamlEditor;
class YamlFileLinks;
class YamlValidation;

// The one place that decides what a YAML editor of the window is: a YamlEditor with the add-ons
// attached (validation markers, completion and key help, file links, hover tips). The window
// and EditorDocument talk to the add-ons it returns, not to the editor.
class EditorFactory
{
public:
    struct YamlEditorParts
    {
        YamlEditor *editor = nullptr;
        YamlValidation *validation = nullptr;
        YamlCompletion *completion = nullptr;
        YamlFileLinks *fileLinks = nullptr;
        HoverTips *hoverTips = nullptr;
    };

    static YamlEditorParts createYamlEditor(QWidget *parent);
};
