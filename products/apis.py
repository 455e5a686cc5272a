"""Seed §20 (getLoanProductList) and §21 (getLoanProductDetails): no login, served from cache."""

from rest_framework import serializers

from cashloan.api.views import ApiView

from . import selectors


class GetLoanProductList(ApiView):
    success_message = "获取产品展示信息成功"

    def handle(self, request, data):
        return selectors.product_list()


class ProductIdSerializer(serializers.Serializer):
    productId = serializers.CharField(max_length=64)


class GetLoanProductDetails(ApiView):
    input_serializer = ProductIdSerializer
    success_message = "获取产品展示信息成功"

    def handle(self, request, data):
        return selectors.product_details(data["productId"])
