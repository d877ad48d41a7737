"""pmbot: product manager or project manager, who does what?"""

__version__ = "0.1.0"
