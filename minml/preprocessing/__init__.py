"""Preparing features: scaling, encoding categories, imputing missing values, polynomial
features, clipping outliers, and chaining it all with a model (Pipeline, ColumnTransformer).

Every transformer here follows scikit-learn's API, parameter names and fitted attributes.
"""

from minml.preprocessing.column_transformer import ColumnTransformer, make_column_transformer
from minml.preprocessing.encoding import OneHotEncoder, OrdinalEncoder, one_hot, one_hot_with_unknown
from minml.preprocessing.imputation import SimpleImputer
from minml.preprocessing.outliers import OutlierClipper, iqr_bounds
from minml.preprocessing.pipeline import Pipeline, make_pipeline
from minml.preprocessing.polynomial import PolynomialFeatures
from minml.preprocessing.quantiles import nan_quantile
from minml.preprocessing.scaling import MinMaxScaler, RobustScaler, StandardScaler, nan_standardize_stats, standardize

__all__ = [
    "ColumnTransformer",
    "MinMaxScaler",
    "OneHotEncoder",
    "OrdinalEncoder",
    "OutlierClipper",
    "Pipeline",
    "PolynomialFeatures",
    "RobustScaler",
    "SimpleImputer",
    "StandardScaler",
    "iqr_bounds",
    "make_column_transformer",
    "make_pipeline",
    "nan_quantile",
    "nan_standardize_stats",
    "one_hot",
    "one_hot_with_unknown",
    "standardize",
]
