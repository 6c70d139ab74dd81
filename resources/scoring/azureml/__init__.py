# Namespace-friendly: a real installed package of the same name stays importable.
__path__ = __import__("pkgutil").extend_path(__path__, __name__)
