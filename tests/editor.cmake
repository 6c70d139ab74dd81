studio_add_test(test_yamleditor SOURCES editor/test_yamleditor.cpp LIBS studio_widgets LABELS gui)
studio_add_test(test_inspectorform SOURCES editor/test_inspectorform.cpp LIBS studio_widgets LABELS gui)
studio_add_test(test_editorwizards SOURCES editor/test_editorwizards.cpp LIBS studio_widgets LABELS gui)
# The typing benchmark measures the editor as the window builds it (EditorFactory, in studio_ui).
studio_add_benchmark(bench_yamleditor_typing SOURCES editor/bench_yamleditor_typing.cpp LIBS studio_ui)
